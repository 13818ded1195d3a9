"""Anonymous feedback on the service, from the phase banner's link."""
