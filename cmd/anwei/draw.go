package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"

	"anwei/internal/enforce"
)

// runDraw: draw verify --commitment HEX FILE checks an anwei.draw/v1
// record against the commitment the office published before the draw
// (without it a record proves only that it agrees with itself): it prints
// "ok" and exits 0 when the lists, share, seed, public value, result and
// recusals all recompute, else names each difference and exits 1. The
// file is read strictly: a key the record does not define, or one spelled
// in another case (which Go would take and another reader would not), is
// refused.
func runDraw(_ context.Context, args []string, out io.Writer) error {
	const use = "用法: draw verify --commitment 抽取前公布的承诺值 FILE"
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("%s: %w", use, errUsage)
	}
	fs := flag.NewFlagSet("draw verify", flag.ContinueOnError)
	published := fs.String("commitment", "", "抽取前公布的承诺值 (十六进制)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 || *published == "" {
		return fmt.Errorf("%s: %w", use, errUsage)
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var rec enforce.DrawRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("%s 不是 %s 记录: %w", fs.Arg(0), enforce.DrawSchema, err)
	}
	// Go matches keys in any case; the record must say exactly what it
	// was read as.
	var asRead, asWritten any
	again, _ := json.Marshal(rec)
	if json.Unmarshal(b, &asRead) != nil || json.Unmarshal(again, &asWritten) != nil || !reflect.DeepEqual(asRead, asWritten) {
		return fmt.Errorf("%s 的键名或内容与 %s 的写法不一致 (如大小写不同的键): 按原样无法核对", fs.Arg(0), enforce.DrawSchema)
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
