# Builds internal/rules/data/safety_law_violations.csv from the 2021 安全生产法 text:
# each listed violation of the unit-fine articles, verbatim, with its fines.
import re, csv, sys
src = open('internal/rules/testdata/safety_law_2021.md', encoding='utf-8').read()
num = {'九十七':97,'九十八':98,'九十九':99,'一百零一':101,'一百零二':102,'一百零三':103,'一百零四':104,'一百零五':105,'一百零八':108,'一百零九':109}
# fines in yuan: the unit's and its 直接负责的主管人员's, first and when not
# corrected (逾期未改正 / 拒不执行 / 拒不改正), and the measures of each.
W=10000
fines = {
 97: (0,10*W, 0,0, 10*W,20*W, 2*W,5*W, '责令限期改正','逾期未改正的，责令停产停业整顿'),
 98: (10*W,50*W, 2*W,5*W, 50*W,100*W, 5*W,10*W, '责令停止建设或者停产停业整顿，限期改正','逾期未改正的'),
 99: (0,5*W, 0,0, 5*W,20*W, 1*W,2*W, '责令限期改正','逾期未改正的；情节严重的，责令停产停业整顿'),
 101:(0,10*W, 0,0, 10*W,20*W, 2*W,5*W, '责令限期改正','逾期未改正的，责令停产停业整顿'),
 102:(0,5*W, 0,0, 0,0, 5*W,10*W, '责令立即消除或者限期消除','拒不执行的，责令停产停业整顿'),
 104:(0,5*W, 0,1*W, 0,0, 0,0, '责令限期改正','逾期未改正的，责令停产停业'),
 105:(0,5*W, 0,1*W, 0,0, 0,0, '责令限期改正','逾期未改正的，责令停产停业整顿'),
 108:(0,0, 0,0, 2*W,20*W, 1*W,2*W, '责令改正','拒不改正的'),
 109:(5*W,10*W, 0,0, 10*W,20*W, 0,0, '责令限期改正','逾期未改正的'),
}
cn = '一二三四五六七八九十'
rows=[]
paras = [p.strip() for p in src.split('\n') if p.strip()]
for i,p in enumerate(paras):
    m = re.match(r'^第(.+?)条 (.*)$', p)
    if not m or m.group(1) not in num: continue
    art = num[m.group(1)]
    if art not in fines: continue
    f = fines[art]
    items=[]
    j=i+1
    while j < len(paras) and re.match(r'^（[一二三四五六七八九十]+）', paras[j]):
        items.append(paras[j]); j+=1
    if items:
        for k,it in enumerate(items, 1):
            mm = re.match(r'^（([一二三四五六七八九十]+)）(.*?)[的]?[；。]?$', it)
            label, text = mm.group(1), it[len('（'+mm.group(1)+'）'):]
            text = text.rstrip('；。')
            rows.append([f'a{art}-{k}', f'第{m.group(1)}条', f'第{label}项', text, *f])
    else:
        body = m.group(2)
        # the violation: the clause before the first 的，
        text = body.split('的，')[0]
        rows.append([f'a{art}', f'第{m.group(1)}条', '', text, *f])
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['key','article','item','text','fine_min','fine_max','person_min','person_max','overdue_min','overdue_max','overdue_person_min','overdue_person_max','order','overdue'])
for r in rows: w.writerow(r)
