"""The boundary layer: Census counties and states, simplified, and their compact browser encoding."""
