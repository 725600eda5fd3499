"""The explainer's entry point: `streamlit run app.py` (see README). Views: explainer/ui/views.py."""

from explainer.ui.shell import main

main()
