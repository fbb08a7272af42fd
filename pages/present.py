"""スライド / Slides: the playlist in presenter mode, one chart per slide, full screen (ui.slideshow, ui.keys)."""
from ui.frame import frame
from ui.slideshow import show

frame(__file__)
show()
