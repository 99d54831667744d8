"""mapcore: the data work behind the 287(g) agreements map.

Reading ICE's sheets, placing agreements in states and counties, boundaries, state laws,
history, filters, maps and exports. Pages in the Streamlit app call into this package;
nothing here imports streamlit except :mod:`mapcore.app.ui`.
"""

__version__ = "0.1.0"
