package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"anwei/internal/plan"
)

func runPlan(_ context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "parse" {
		fmt.Fprintln(os.Stderr, "用法: anwei plan parse [--year N] FILE   (FILE: .txt UTF-8/GB18030, .html, .docx)")
		return errUsage
	}
	fs := flag.NewFlagSet("plan parse", flag.ContinueOnError)
	year := fs.Int("year", 0, "计划年度 (默认从文中读出)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "用法: anwei plan parse [--year N] FILE")
		return errUsage
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	text, err := plan.Decode(b)
	if err != nil {
		return err
	}
	p, err := plan.Parse(text, *year)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
