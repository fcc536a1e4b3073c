package main

import (
	"context"
	"flag"
	"os"

	"anwei/internal/app"
	"anwei/internal/store"
)

// appCommand parses a writing command's flags (--data, --db,
// --audit-key-file and those that more adds; more may also set the
// configuration) and opens its database, migrated, with the audit key
// (created at the first start, as for serve) and the services built on it by
// app.Open — the same wiring as the server, so a command computes what the
// server would. The caller closes it.
func appCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet, cfg *app.Config)) (*app.App, *flag.FlagSet, error) {
	cfg, fs, err := parseDBFlags(name, args, more)
	if err != nil {
		return nil, fs, err
	}
	a, err := app.Open(ctx, cfg)
	return a, fs, err
}

// readDBCommand opens the database for a command that only reads (audit,
// backup): it uses the audit key when there is one and never creates it.
func readDBCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet, cfg *app.Config)) (*store.DB, *flag.FlagSet, error) {
	cfg, fs, err := parseDBFlags(name, args, more)
	if err != nil {
		return nil, fs, err
	}
	db, err := app.OpenDBToRead(ctx, cfg)
	return db, fs, err
}

func parseDBFlags(name string, args []string, more func(fs *flag.FlagSet, cfg *app.Config)) (app.Config, *flag.FlagSet, error) {
	cfg := app.Config{Out: os.Stderr}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if more != nil {
		more(fs, &cfg)
	}
	err := parse(fs, args) // fills cfg through the flags: read it after
	return cfg, fs, err
}
