package db

import "context"

// NewestPage runs q, a query that ends "ORDER BY <id> DESC LIMIT ?" with the
// limit left for it, for limit+1 rows, and returns at most limit of them and
// the id to page on from (the last one's; 0 on the last page): one page of a
// list shown newest first, paged by id.
func NewestPage[T any](ctx context.Context, r Reader, q string, args []any, limit int, scan func(interface{ Scan(...any) error }) (T, error), id func(T) int64) ([]T, int64, error) {
	rows, err := r.QueryContext(ctx, q, append(args, limit+1)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) > limit {
		out = out[:limit]
		return out, id(out[limit-1]), nil
	}
	return out, 0, nil
}
