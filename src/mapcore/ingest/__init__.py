"""Getting the data in: fetch ICE's sheets, read and date them, place agreements, load the law table, build the dataset."""
