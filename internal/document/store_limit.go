package document

// UploadLimit is the largest upload of one file the web layer should read.
func (s *Store) UploadLimit() int64 { return s.limit() }
