package calendar

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/apperr/apperrtest"
)

// invented2027 is the test fixture (testdata/README.md): a plausible 2027
// notice, NOT the State Council's.
func invented2027(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/holidays_2027_invented.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loaded loads notices for the test and the built-in table alone after it:
// the table is the process's, so these tests run one at a time.
func loaded(t *testing.T, notices ...Notice) Known {
	t.Helper()
	t.Cleanup(func() { Load() })
	return Load(notices...)
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestANoticeOfANewYear: the invented 2027 notice makes 2027's working
// days exact — N 个工作日 from the end of 2026 across 元旦 no longer
// provisional, 春节's 调休 counted — and the table lists 2027 as imported.
func TestANoticeOfANewYear(t *testing.T) {
	n, err := ParseNotice(invented2027(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Year() != 2027 || n.Info() != (YearInfo{Year: 2027, Source: "导入", Imported: true, Holidays: 27, Workdays: 6}) {
		t.Fatalf("the 2027 notice: %d %+v", n.Year(), n.Info())
	}
	before := WorkdaysAfter(day(t, "2026-12-28"), 10)
	if !before.Provisional || YearKnown(2027) || KnownThrough() != "2026-12-31" {
		t.Fatalf("before the notice: %+v, 2027 known %v, through %s", before, YearKnown(2027), KnownThrough())
	}
	k := loaded(t, n)
	if k.KnownThrough != "2027-12-31" || KnownThrough() != "2027-12-31" || !YearKnown(2027) {
		t.Fatalf("after the notice: %+v", k)
	}
	if y := Years(); len(y) != 8 || y[7] != n.Info() || y[6].Source != "内置" || y[0].Year != firstYear {
		t.Errorf("years: %+v", y)
	}
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-28", 10, "2027-01-12"}, // 12-29, 12-30, 12-31; 元旦 1–3 January off; 4–8, 11, 12 January
		{"2027-01-29", 1, "2027-01-31"},  // Sunday 31 January worked (调休)
		{"2027-02-05", 1, "2027-02-15"},  // 春节 6–12 February, then the weekend
		{"2027-02-19", 1, "2027-02-20"},  // Saturday 20 February worked
		{"2027-12-30", 1, "2027-12-31"},
	} {
		got := WorkdaysAfter(day(t, c.from), c.n)
		if got.Date != c.want || got.Provisional || !strings.Contains(got.Basis, "2027 年据管理员载入的通知") {
			t.Errorf("%s + %d: %+v, want %s, not provisional", c.from, c.n, got, c.want)
		}
	}
	if got := WorkdaysAfter(day(t, "2027-12-30"), 2); got.Date != "2028-01-03" || !got.Provisional {
		t.Errorf("into 2028, whose notice is not in: %+v (1 January 2028 fixed off, then the weekend)", got)
	}
	if HolidaysRunOut("2026-12-04") || !HolidaysRunOut("2027-11-15") {
		t.Error("with 2027 loaded the table runs out in November 2027, not now")
	}
	Load()
	if YearKnown(2027) || WorkdaysAfter(day(t, "2027-02-05"), 1).Date != "2027-02-08" {
		t.Error("Load() leaves the built-in table alone")
	}
}

// TestALoadedYearReplacesTheBuiltIn: a loaded notice of a built-in year
// takes its place entirely (a day it leaves out is an ordinary day); a
// year loaded beyond a gap is known, but KnownThrough stops at the gap,
// and the years between stay provisional.
func TestALoadedYearReplacesTheBuiltIn(t *testing.T) {
	var rows []string
	for _, d := range builtin[2026].days {
		if d.Date != "2026-10-10" {
			rows = append(rows, d.Date+","+d.Kind+","+d.Name)
		}
	}
	n2026, err := ParseNotice([]byte("date,kind,name\n" + strings.Join(rows, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseNotice([]byte(strings.ReplaceAll(string(invented2027(t)), "2027-", "2028-"))); err == nil {
		t.Fatal("the 2027 dates moved to 2028 keep 2027's weekdays: its workdays fall on weekdays, and must be refused")
	}
	n2028, err := ParseNotice([]byte("date,kind,name\n2028-01-01,holiday,元旦\n2028-05-01,holiday,劳动节\n2028-05-02,holiday,劳动节\n" +
		"2028-10-01,holiday,国庆节\n2028-10-02,holiday,国庆节\n2028-10-03,holiday,国庆节\n2028-10-04,holiday,国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	loaded(t, n2026, n2028)
	if IsWorkday(day(t, "2026-10-10")) {
		t.Error("Saturday 10 October 2026 is worked in the built-in table only; the loaded 2026 leaves it out")
	}
	if y := Years(); y[6].Year != 2026 || y[6].Source != "导入" || y[6].Workdays != 5 || y[7].Year != 2028 {
		t.Errorf("years: %+v", y)
	}
	if KnownThrough() != "2026-12-31" || !YearKnown(2028) || YearKnown(2027) {
		t.Errorf("through %s, 2028 known %v, 2027 %v", KnownThrough(), YearKnown(2028), YearKnown(2027))
	}
	if IsWorkday(day(t, "2028-10-04")) || IsWorkday(day(t, "2027-10-01")) || !IsWorkday(day(t, "2027-10-04")) {
		t.Error("2028's notice counts; 2027 keeps the holidays fixed by date only")
	}
	if got := WorkdaysAfter(day(t, "2027-12-31"), 1); got.Date != "2028-01-03" || !got.Provisional {
		t.Errorf("a count through 2027 into a loaded 2028 is still provisional: %+v", got)
	}
}

// TestNewYearsDayMayBeginTheYearBefore: a notice's 元旦 holiday may begin
// in the last week of the year before (the 2023 notice: 2022-12-31 to
// 2023-01-02); the year is the notice's, and the day counts.
func TestNewYearsDayMayBeginTheYearBefore(t *testing.T) {
	text := strings.Replace(string(invented2027(t)), "date,kind,name\n", "date,kind,name\n2026-12-31,holiday,元旦\n", 1)
	n, err := ParseNotice([]byte(text))
	if err != nil || n.Year() != 2027 || n.days[0].Date != "2026-12-31" {
		t.Fatalf("%d %v", n.Year(), err)
	}
	loaded(t, n)
	if IsWorkday(day(t, "2026-12-31")) || !YearKnown(2026) {
		t.Error("Thursday 31 December 2026, off under the 2027 notice")
	}
	if _, err := ParseNotice([]byte(strings.Replace(text, "2026-12-31", "2026-12-20", 1))); err == nil || !strings.Contains(err.Error(), "第2行「日期」2026-12-20 不在 2027 年") {
		t.Errorf("20 December of the year before: %v", err)
	}
}

// TestParseNoticeNamesTheRowAndColumn: each mistake is told with the row
// (the header is 第1行) and column, in Chinese, as the field "file";
// several at once.
func TestParseNoticeNamesTheRowAndColumn(t *testing.T) {
	good := string(invented2027(t))
	for _, c := range []struct{ name, text, want string }{
		{"empty", "", "文件是空的"},
		{"header", "日期,类型,名称\n2027-01-01,holiday,元旦\n", "第1行: 表头应为 date,kind,name"},
		{"header only", "date,kind,name\n", "只有表头"},
		{"date", strings.Replace(good, "2027-02-07", "2027-02-30", 1), "第7行「日期」“2027-02-30”无效"},
		{"date spelling", strings.Replace(good, "2027-02-07", "2027/2/7", 1), "第7行「日期」“2027/2/7”无效，应为 YYYY-MM-DD"},
		{"another year", strings.Replace(good, "2027-06-09", "2028-06-09", 1), "第24行「日期」2028-06-09 不在 2027 年"},
		{"before the table", "date,kind,name\n2019-10-01,holiday,国庆节\n", "第2行「日期」2019-10-01 早于节假日表的首年 2020 年"},
		{"kind", strings.Replace(good, "2027-06-09,holiday", "2027-06-09,休", 1), "第24行「类型」“休”无效，应为 holiday (放假) 或 workday (调休上班)"},
		{"workday on a weekday", strings.Replace(good, "2027-06-09,holiday", "2027-06-09,workday", 1), "第24行「类型」2027-06-09 是星期三，调休上班日 (workday) 只能是星期六或星期日"},
		{"twice", good + "2027-02-08,holiday,春节\n", "第35行「日期」2027-02-08 与第8行重复"},
		{"no name", strings.Replace(good, "2027-06-09,holiday,端午节", "2027-06-09,holiday,", 1), "第24行「名称」不能为空"},
		{"long name", strings.Replace(good, "端午节", strings.Repeat("端", 21), 1), "第24行「名称」超过 20 个字"},
		{"columns", strings.Replace(good, "2027-06-09,holiday,端午节", "2027-06-09,holiday", 1), "第24行: 应有 3 列 (date,kind,name)，实有 2 列"},
		{"quotes", strings.Replace(good, "端午节", `端"午节`, 1), "第24行: CSV 格式有误"},
		{"statutory", strings.Replace(good, "2027-10-02,holiday,国庆节\n", "", 1), "缺少 2027-10-02 (国庆节) 的放假 (holiday) 行"},
		{"not UTF-8", "date,kind,name\n2027-01-01,holiday,\xd4\xaa\xb5\xa9\n", "UTF-8"},
		{"too long", "date,kind,name\n" + strings.Repeat("2027-01-01,holiday,元旦\n", MaxNoticeBytes/20), "文件超过 64 KB"},
	} {
		_, err := ParseNotice([]byte(c.text))
		if err == nil || !strings.Contains(apperr.As(err).All(), c.want) || apperr.FieldOf(err) != "file" {
			t.Errorf("%s: %v, want …%s… about the file", c.name, err, c.want)
			continue
		}
		apperrtest.InvalidInChinese(t, c.name, err)
	}
	// Every wrong row at once, in the file's order, the rest counted.
	bad := "date,kind,name\n2027-01-01,holiday,\n2027-13-01,holiday,元旦\n" + strings.Repeat("2027-02-10,workday,春节\n", 30)
	_, err := ParseNotice([]byte(bad))
	e := apperr.As(err)
	if len(e.Fields) != 21 || e.Fields[0].Message != "第2行「名称」不能为空，应为节日名称 (如 春节)" || !strings.HasPrefix(e.Fields[1].Message, "第3行") ||
		!strings.Contains(e.Fields[20].Message, "另有 41 处有误") {
		t.Errorf("all at once: %d %+v", len(e.Fields), e.Fields)
	}
	// A BOM, CRLF line ends and spaces around the cells are read; the
	// notice's own text reads back to it.
	n, err := ParseNotice([]byte("\ufeff" + strings.ReplaceAll(strings.ReplaceAll(good, ",", " , "), "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if n.Text() != good {
		t.Errorf("the notice's text:\n%s\nwant the file:\n%s", n.Text(), good)
	}
}

// TestLoadIsSafeWhileCounting: counts running while the table is replaced
// (go test -race) each count by one table, loaded or not, never a mix.
func TestLoadIsSafeWhileCounting(t *testing.T) {
	n, err := ParseNotice(invented2027(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Load() })
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				Load(n)
				Load()
			}
		}
	}()
	from := day(t, "2027-02-05")
	var counters sync.WaitGroup
	for range 4 {
		counters.Add(1)
		go func() {
			defer counters.Done()
			for range 2000 {
				d := WorkdaysAfter(from, 1)
				if (d.Date == "2027-02-15") == d.Provisional || (d.Date != "2027-02-15" && d.Date != "2027-02-08") {
					t.Errorf("a count mixing two tables: %+v", d)
					return
				}
				_, _, _ = Years(), KnownThrough(), IsWorkday(from)
			}
		}()
	}
	counters.Wait()
	close(stop)
	wg.Wait()
}

// FuzzParseNotice: a notice read from any bytes keeps its promises — one
// year, its workdays on weekends, its text reading back to it — or is
// refused in Chinese.
func FuzzParseNotice(f *testing.F) {
	f.Add(invented2027(f))
	f.Add([]byte("date,kind,name\n2026-12-31,holiday,元旦\n2027-01-01,holiday,元旦\n"))
	f.Add([]byte(builtin[2023].Text()))
	f.Add([]byte("date,kind,name\n2027-02-10,workday,\"春\"\"节\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseNotice(b)
		if err != nil {
			apperrtest.InvalidInChinese(t, "ParseNotice", err)
			return
		}
		for _, d := range n.days {
			w := day(t, d.Date).Weekday()
			y := day(t, d.Date).Year()
			if (y != n.Year() && (y != n.Year()-1 || d.Date[5:] < newYearFrom)) || (d.Kind == kindWorkday && w != time.Saturday && w != time.Sunday) {
				t.Fatalf("%+v in the notice of %d", d, n.Year())
			}
		}
		again, err := ParseNotice([]byte(n.Text()))
		if err != nil || again.Text() != n.Text() || again.Year() != n.Year() {
			t.Fatalf("the text does not read back: %v", err)
		}
	})
}
