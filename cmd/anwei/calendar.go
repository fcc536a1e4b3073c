package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

const calendarUsage = `用法:
  anwei calendar import [--data DIR] [--db DSN] FILE   载入国务院办公厅一年的节假日安排通知 (CSV，列 date,kind,name，见 README)
  anwei calendar list [--data DIR] [--db DSN]          节假日表的年份: 内置或导入，放假和调休上班的天数，已知至哪一天`

// runCalendar is `anwei calendar import FILE` and `anwei calendar list`:
// the holiday table every "N 个工作日" counts by. import stores a year's
// notice in the deployment as the administrator's page does
// (org.ImportHolidays, as the system); a running server counts by it
// within minutes. A wrong file is refused whole, every wrong row printed
// (exit 1).
func runCalendar(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "list") {
		fmt.Fprintln(os.Stderr, calendarUsage)
		return errUsage
	}
	a, fs, err := appCommand(ctx, "calendar "+args[0], args[1:], nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if want := map[string]int{"import": 1, "list": 0}[args[0]]; fs.NArg() != want {
		fmt.Fprintln(os.Stderr, calendarUsage)
		return errUsage
	}
	if args[0] == "list" {
		t, err := a.Org.Holidays(ctx)
		if err != nil {
			return err
		}
		printHolidays(out, t)
		return nil
	}
	text, err := readNotice(fs.Arg(0))
	if err != nil {
		return err
	}
	info, err := a.Org.ImportHolidays(ctx, org.System, text)
	var e *apperr.Error
	if errors.As(err, &e) && e.Code == apperr.Invalid {
		fmt.Fprintf(out, "未载入 %s:\n", fs.Arg(0))
		if len(e.Fields) == 0 {
			e.Fields = []apperr.FieldErr{{Message: e.Message}}
		}
		for _, f := range e.Fields {
			fmt.Fprintln(out, "  "+f.Message)
		}
		return errFailed
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "已载入 %d 年的节假日安排: 放假 %d 天，调休上班 %d 天；节假日表已知至 %s (运行中的服务在 5 分钟内按此计算)\n",
		info.Year, info.Holidays, info.Workdays, calendar.KnownThrough())
	return nil
}

// readNotice reads a notice's file, no more than a notice can be (a
// larger one is refused by calendar.ParseNotice).
func readNotice(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, calendar.MaxNoticeBytes+1))
}

func printHolidays(out io.Writer, t org.HolidayTable) {
	fmt.Fprintln(out, "年份  来源  放假天数  调休上班天数")
	for _, y := range t.Years {
		fmt.Fprintf(out, "%d  %s  %8d  %12d\n", y.Year, y.Source, y.Holidays, y.Workdays)
	}
	fmt.Fprintf(out, "节假日表已知至 %s\n", t.KnownThrough)
	if t.RunsOut {
		fmt.Fprintln(out, "节假日表即将用完或已用完: 请在国务院办公厅发布下一年的放假安排通知后以 anwei calendar import FILE 载入，否则之后的“N 个工作日”期限只计周末和按日期固定的节日")
	}
	for _, u := range t.Unreadable {
		fmt.Fprintln(out, "无法读取已保存的通知 "+u+"，请重新载入")
	}
}
