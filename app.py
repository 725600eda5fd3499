"""The explainer's entry point: `streamlit run app.py` (see README). Views: one file each in pages/."""

from explainer.ui.shell import main

main()
