package main

import (
	"context"
	"flag"
	"os"

	"anwei/internal/app"
	"anwei/internal/store"
)

// dbCommand parses a database command's flags (--data, --db,
// --audit-key-file and those that more adds) and opens its database,
// migrated, for a command that writes: with the audit key, created at the
// first start, as for serve. The caller closes it.
func dbCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet)) (*store.DB, *flag.FlagSet, app.Config, error) {
	return openCommand(ctx, name, args, more, app.OpenDB)
}

// readDBCommand is dbCommand for a command that only reads (audit, backup):
// it uses the audit key when there is one and never creates it.
func readDBCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet)) (*store.DB, *flag.FlagSet, app.Config, error) {
	return openCommand(ctx, name, args, more, app.OpenDBToRead)
}

func openCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet),
	open func(context.Context, app.Config) (*store.DB, error)) (*store.DB, *flag.FlagSet, app.Config, error) {
	cfg := app.Config{Out: os.Stderr}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if more != nil {
		more(fs)
	}
	if err := parse(fs, args); err != nil {
		return nil, fs, cfg, err
	}
	db, err := open(ctx, cfg)
	return db, fs, cfg, err
}
