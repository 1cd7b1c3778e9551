"""Running notebooks: parameters, the in-process papermill engine, batches and the demo job."""
