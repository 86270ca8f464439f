# Install and export rules: see issue 4.
