Angles in degrees.
