"""Running the portal as a service: health, metrics, tracing, background jobs, delivery."""
