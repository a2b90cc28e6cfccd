package db

import "context"

// IDs runs query, whose rows are one id each, and returns the ids in the
// order the query gives.
func IDs(ctx context.Context, r Reader, query string, args ...any) ([]int64, error) {
	rows, err := r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
