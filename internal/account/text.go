package account

import (
	"fmt"

	"github.com/etalase-id/etalase/internal/i18n"
)

func textf(id, en string, args ...any) i18n.Text {
	return i18n.Text{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}
}
