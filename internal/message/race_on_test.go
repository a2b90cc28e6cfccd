//go:build race

package message_test

// raceEnabled: under the race detector every write is several times slower,
// so the long fault test sends a smaller announcement.
const raceEnabled = true
