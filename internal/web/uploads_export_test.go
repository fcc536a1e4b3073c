package web

import "anwei/internal/calendar"

// The body limits of uploads.go, for TestEveryWriteRouteBoundsItsBody.
const (
	FilesBody         = filesBody
	SheetBody         = sheetBody
	SheetAPIBody      = maxSheetUpload + 1 // spool reads one byte more to tell a sheet over the limit
	PlanTextBody      = planTextBody
	ProgressSheetBody = progressSheetBody
	FormBody          = formBody
	JSONBody          = jsonBody
	PublicBody        = publicBody
	NoticeBody        = noticeBody
	NoticeAPIBody     = calendar.MaxNoticeBytes + 1 // apiCalendarImport reads one byte more to tell a notice over the limit
	MaxFiles          = maxFiles
	CaseSheetBody     = caseSheetBody
	CaseSheetAPIBody  = caseSheetUpload + 1
)
