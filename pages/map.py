from explainer.ui.shell import page

page("map")
