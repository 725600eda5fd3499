from explainer.ui.shell import page

page("timeline")
