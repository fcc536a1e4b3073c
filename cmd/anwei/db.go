package main

import (
	"context"
	"flag"

	"anwei/internal/app"
	"anwei/internal/store"
)

// dbCommand parses a database command's flags (--data, --db and those that
// more adds) and opens its database, migrated. The caller closes it.
func dbCommand(ctx context.Context, name string, args []string, more func(fs *flag.FlagSet)) (*store.DB, *flag.FlagSet, app.Config, error) {
	var cfg app.Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if more != nil {
		more(fs)
	}
	if err := parse(fs, args); err != nil {
		return nil, fs, cfg, err
	}
	db, err := app.OpenDB(ctx, cfg)
	return db, fs, cfg, err
}
