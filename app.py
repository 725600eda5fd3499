"""Home page (the story, or the view named in ?view=). Run: `streamlit run app.py` (see README)."""
from explainer.ui.shell import page

page(None)
