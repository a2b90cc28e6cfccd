package message_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
)

// announcementSize is the number of messages of a large announcement.
const announcementSize = 10_000

// gatewayPeer is a loopback WhatsApp gateway counting what it is sent.
func gatewayPeer(b *testing.B) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := n.Add(1)
		fmt.Fprintf(w, `{"status":true,"id":["%d"]}`, id)
	}))
	b.Cleanup(srv.Close)
	return srv, &n
}

func waitFor(b *testing.B, n *atomic.Int64, want int64) {
	deadline := time.Now().Add(10 * time.Minute)
	for n.Load() < want {
		if time.Now().After(deadline) {
			b.Fatalf("drained %d of %d", n.Load(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// BenchmarkAnnouncement enqueues the 10,000 messages of an announcement
// through Enqueue and drains them against a loopback gateway, beside River's
// own InsertManyTx of the same 10,000 jobs drained by a worker that calls the
// same gateway: the cost of the message log and of sending once. Ours is
// measured twice, in transactions of 500: one message row and one InsertTx at
// a time (Enqueue on its own, metrics one-by-one-*), and gathered by InBatch
// into multi-row inserts and InsertManyFastTx, as the announcement does
// (metrics enqueue-*, enqueue+drain-*, *-ratio).
//
//	go test -run '^$' -bench Announcement -benchtime 1x ./internal/message
func BenchmarkAnnouncement(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			for range b.N {
				ctx := context.Background()
				single, singleTotal := benchOurs(b, e, false)
				enqueue, ours := benchOurs(b, e, true)

				// Baseline: River alone, InsertManyTx and a worker calling the gateway.
				d2 := dbtest.Open(b, e)
				gw2, sent2 := gatewayPeer(b)
				workers := river.NewWorkers()
				river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[baselineArgs]) error {
					_, err := message.Gateway{URL: gw2.URL, Token: "t"}.Send(ctx, message.Message{Recipient: j.Args.To, Body: j.Args.Body})
					return err
				}))
				cfg := &river.Config{Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 20}}, Workers: workers, FetchPollInterval: 50 * time.Millisecond, FetchCooldown: 50 * time.Millisecond}
				var client *river.Client[*sql.Tx]
				var err error
				if e == db.Postgres {
					cfg.PollOnly = true
					client, err = river.NewClient[*sql.Tx](riverdatabasesql.New(d2.SQL()), cfg)
				} else {
					client, err = river.NewClient[*sql.Tx](riversqlite.New(d2.SQL()), cfg)
				}
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				for i := 0; i < announcementSize; i += 500 {
					params := make([]river.InsertManyParams, 0, 500)
					for j := i; j < i+500; j++ {
						params = append(params, river.InsertManyParams{Args: baselineArgs{To: fmt.Sprintf("+62812%07d", j), Body: "Yth. Pemohon, selamat..."}})
					}
					err := d2.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
						_, err := client.InsertManyTx(ctx, tx.SQL(), params)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				baseEnqueue := time.Since(start)
				bctx, bcancel := context.WithCancel(ctx)
				if err := client.Start(bctx); err != nil {
					b.Fatal(err)
				}
				waitFor(b, sent2, announcementSize)
				base := time.Since(start)
				_ = client.Stop(ctx)
				bcancel()
				b.ReportMetric(single.Seconds(), "one-by-one-enqueue-s")
				b.ReportMetric(singleTotal.Seconds(), "one-by-one-enqueue+drain-s")
				b.ReportMetric(single.Seconds()/baseEnqueue.Seconds(), "one-by-one-enqueue-ratio")
				b.ReportMetric(singleTotal.Seconds()/base.Seconds(), "one-by-one-total-ratio")
				b.ReportMetric(enqueue.Seconds(), "enqueue-s")
				b.ReportMetric(baseEnqueue.Seconds(), "river-insertmany-s")
				b.ReportMetric(ours.Seconds(), "enqueue+drain-s")
				b.ReportMetric(base.Seconds(), "river-enqueue+drain-s")
				b.ReportMetric(enqueue.Seconds()/baseEnqueue.Seconds(), "enqueue-ratio")
				b.ReportMetric(ours.Seconds()/base.Seconds(), "total-ratio")
			}
		})
	}
}

// benchOurs enqueues announcementSize messages on a new database of engine
// e, in transactions of 500 — batched by InBatch or one at a time — and
// drains them against a loopback gateway: how long the enqueue took, and the
// enqueue and the drain.
func benchOurs(b *testing.B, e db.Engine, batched bool) (enqueue, total time.Duration) {
	d := dbtest.Open(b, e)
	a := apptest.New(b, d)
	gw, sent := gatewayPeer(b)
	ms := a.Messages
	if err := ms.SetQueue(message.QueueConfig{Workers: 20, PollInterval: 50 * time.Millisecond}); err != nil {
		b.Fatal(err)
	}
	ms.Providers = func(context.Context, message.Channel) (message.Provider, error) {
		return message.Gateway{URL: gw.URL, Token: "t"}, nil
	}
	ctx := context.Background()
	start := time.Now()
	for i := 0; i < announcementSize; i += 500 {
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			some := func(ctx context.Context) error {
				for j := i; j < i+500; j++ {
					u := account.User{Name: "Pemohon", Lang: "id"}
					if _, err := ms.Enqueue(ctx, tx, message.Notice{Event: message.ResultPassed, Key: fmt.Sprintf("bench:%d", j), User: u,
						To: fmt.Sprintf("+62812%07d", j), Vars: map[string]string{"name": "Pemohon", "number": "GAL-2026-00001"}}); err != nil {
						return err
					}
				}
				return nil
			}
			if !batched {
				return some(ctx)
			}
			_, err := ms.InBatch(ctx, tx, some)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	enqueue = time.Since(start)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := ms.Start(sctx); err != nil {
		b.Fatal(err)
	}
	waitFor(b, sent, announcementSize)
	total = time.Since(start)
	_ = ms.Stop(ctx)
	return enqueue, total
}

type baselineArgs struct {
	To   string `json:"to"`
	Body string `json:"body"`
}

func (baselineArgs) Kind() string { return "bench_baseline" }
