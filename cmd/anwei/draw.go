package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"anwei/internal/enforce"
)

// runDraw: draw verify [--commitment HEX] FILE checks an anwei.draw/v1
// record: it prints "ok" and exits 0 when the lists, share, seed, result
// and recusals all recompute (and the commitment is the one published,
// when given), else names each difference and exits 1.
func runDraw(_ context.Context, args []string, out io.Writer) error {
	const use = "用法: draw verify [--commitment 公布的承诺值] FILE"
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("%s: %w", use, errUsage)
	}
	fs := flag.NewFlagSet("draw verify", flag.ContinueOnError)
	published := fs.String("commitment", "", "抽取前公布的承诺值 (十六进制)，给出时一并核对")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%s: %w", use, errUsage)
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var rec enforce.DrawRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return fmt.Errorf("%s 不是 %s 记录: %w", fs.Arg(0), enforce.DrawSchema, err)
	}
	problems := enforce.Verify(rec, *published)
	if len(problems) == 0 {
		fmt.Fprintln(out, "ok: 名录、承诺、份额、种子、抽取结果和回避替换均可重算")
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(out, p)
	}
	return errFailed // exit 1, having said what differs
}
