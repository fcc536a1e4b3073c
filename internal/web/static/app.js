// anwei's own page script. The Content-Security-Policy allows no inline
// script, so everything the pages do in the browser is here, wired by
// data- attributes and element ids; chart data comes from
// <script type="application/json"> blocks, which are data, not code.
(function () {
  'use strict';

  // Clicks: a "select all" checkbox (data-check-all="NAME" ticks every
  // input[name=NAME]) and a back link (data-back).
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var all = t.closest('[data-check-all]');
    if (all) {
      document.querySelectorAll('input[name="' + all.getAttribute('data-check-all') + '"]').forEach(function (c) { c.checked = all.checked; });
      return;
    }
    var back = t.closest('[data-back]');
    if (back && history.length > 1) {
      ev.preventDefault();
      history.back();
    }
  });

  // The enterprise import sends the file with XMLHttpRequest so the bar
  // shows the upload, then the server's work; it swaps in the report the
  // page returns.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload-progress')) return;
    // A box marked data-download asks for a file back: post the form itself.
    var dl = form.querySelector('input[data-download]');
    if (dl && dl.checked) return;
    ev.preventDefault();
    var bar = form.querySelector('progress'), state = form.querySelector('[data-upload-state]');
    var target = form.getAttribute('data-upload-progress');
    var xhr = new XMLHttpRequest();
    bar.hidden = false; bar.value = 0; state.textContent = '上传中…';
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.value = Math.round(e.loaded * 90 / e.total); } };
    xhr.upload.onload = function () { bar.value = 90; state.textContent = '校验并写入中…'; bar.removeAttribute('value'); };
    xhr.onload = function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var rep = doc.getElementById(target), err = doc.querySelector('.flash.err');
      document.getElementById(target).innerHTML = (err ? err.outerHTML : '') + (rep ? rep.innerHTML : '');
      bar.max = 100; bar.value = 100; state.textContent = '完成';
    };
    xhr.onerror = function () { state.textContent = '上传失败，请重试'; };
    xhr.open('POST', form.action);
    xhr.send(new FormData(form));
  });

  // Unit pickers (templates/partials/picker.html): an input[data-picker]
  // holds the id of a unit — what the form posts, typed by hand when
  // scripts are off. Here it is hidden behind a search box: as one types,
  // GET /api/v1/units?q= (kinds data-picker, in use when data-active)
  // answers with the matches in the actor's jurisdiction, listed below the
  // box; a click, or the arrow keys and Enter, chooses one; Escape closes
  // the list. Text that is not a chosen unit's name leaves no id, and a
  // required picker then refuses to send the form.
  var pickerCount = 0;
  function unitPicker(idInput) {
    if (idInput.dataset.pickerReady) return;
    idInput.dataset.pickerReady = '1';
    var wrap = idInput.parentNode, n = ++pickerCount;
    var box = document.createElement('input'), list = document.createElement('ul');
    box.type = 'search';
    box.className = 'picker-box';
    box.autocomplete = 'off';
    box.setAttribute('role', 'combobox');
    box.setAttribute('aria-autocomplete', 'list');
    box.setAttribute('aria-expanded', 'false');
    box.setAttribute('aria-controls', 'picker-list-' + n);
    var aria = idInput.getAttribute('aria-label');
    if (aria) box.setAttribute('aria-label', aria);
    // data-picker-api names what is searched (GET /api/v1/users for a
    // person: data-picker-noun 人员, data-picker-unit the form field whose
    // unit the person belongs to); units when absent.
    var api = idInput.dataset.pickerApi || '/api/v1/units', noun = idInput.dataset.pickerNoun || '单位';
    var hint = noun === '单位' ? '输入名称搜索' : '输入姓名搜索';
    box.placeholder = aria ? aria + '：' + hint : hint;
    box.required = idInput.required;
    // A chosen unit the page could not name (out of the actor's sight) shows its id.
    box.value = idInput.value ? idInput.getAttribute('data-label') || '编号 ' + idInput.value : '';
    list.id = 'picker-list-' + n;
    list.className = 'picker-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    idInput.required = false;
    idInput.type = 'hidden';
    var shown = wrap.querySelector('.picker-name');
    if (shown) shown.remove();
    wrap.insertBefore(box, idInput);
    wrap.appendChild(list);

    var chosen = box.value, items = [], active = -1, timer = 0, asked = 0;
    function valid() { box.setCustomValidity(box.value.trim() && box.value !== chosen ? '请从列表中选择' + noun : ''); }
    function close() {
      list.hidden = true;
      box.setAttribute('aria-expanded', 'false');
      box.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function mark(i) {
      var opts = list.querySelectorAll('[role=option]');
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      box.setAttribute('aria-activedescendant', opts[active].id);
      opts[active].scrollIntoView({block: 'nearest'});
    }
    function choose(u) {
      idInput.value = u ? String(u.id) : '';
      chosen = box.value = u ? u.name || u.display_name : '';
      valid();
      close();
      idInput.dispatchEvent(new Event('change', {bubbles: true}));
    }
    function note(text) {
      var li = document.createElement('li');
      li.className = 'muted';
      li.textContent = text;
      list.appendChild(li);
    }
    function show(total) {
      list.textContent = '';
      active = -1;
      items.forEach(function (u, i) {
        var li = document.createElement('li'), small = document.createElement('small');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.id = u.id;
        li.textContent = u.name || u.display_name;
        small.className = 'muted';
        small.textContent = u.region_name || u.unit_name ? ' ' + (u.region_name || u.unit_name) : '';
        li.appendChild(small);
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); choose(u); });
        list.appendChild(li);
      });
      if (total < 0) note('查询失败，请重试');
      else if (!items.length) note('没有匹配的' + noun);
      else if (total > items.length) note('共 ' + total + ' 个，请输入更多字缩小范围');
      list.hidden = false;
      box.setAttribute('aria-expanded', 'true');
    }
    function search() {
      var q = box.value.trim(), mine = ++asked;
      if (!q) { close(); return; }
      var url = api + '?limit=20&q=' + encodeURIComponent(q);
      if (idInput.dataset.picker) url += '&kind=' + encodeURIComponent(idInput.dataset.picker);
      var from = idInput.dataset.pickerUnit && idInput.form && idInput.form.elements[idInput.dataset.pickerUnit];
      if (from && from.value) url += '&unit_id=' + encodeURIComponent(from.value);
      if (idInput.dataset.active) url += '&active=1';
      fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (d) { if (mine === asked) { items = d.items || []; show(d.total); } },
              function () { if (mine === asked) { items = []; show(-1); } });
    }
    box.addEventListener('input', function () {
      if (box.value !== chosen) idInput.value = '';
      valid();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    box.addEventListener('keydown', function (ev) {
      var open = !list.hidden;
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (!open) { search(); return; }
        mark(active + (ev.key === 'ArrowDown' ? 1 : -1));
      } else if (ev.key === 'Enter' && open) {
        ev.preventDefault();
        if (active >= 0) choose(items[active]);
        else if (items.length === 1) choose(items[0]);
      } else if (ev.key === 'Escape' && open) {
        ev.preventDefault();
        close();
      }
    });
    box.addEventListener('blur', close);
    // Emptied, the box means no unit (a filter's "all", an optional parent).
    box.addEventListener('search', function () { if (!box.value) choose(null); });
  }
  function unitPickers(root) {
    (root || document).querySelectorAll('input[data-picker]').forEach(unitPicker);
  }
  document.addEventListener('DOMContentLoaded', function () { unitPickers(); });
  document.addEventListener('htmx:load', function (ev) { unitPickers(ev.target); });

  // The 判定标准 picker (data-crit-picker): typing in its data-crit-filter
  // box keeps the items holding every word typed (standard, article or
  // text), opens the other standards while a filter is on, and says when
  // nothing matches. The chosen item stays shown.
  document.addEventListener('input', function (ev) {
    var box = ev.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-crit-filter')) return;
    var picker = box.closest('[data-crit-picker]');
    var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    picker.querySelectorAll('[data-crit]').forEach(function (item) {
      var text = item.textContent.toLowerCase(), radio = item.querySelector('input');
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      item.hidden = !hit && !(radio && radio.checked);
      if (hit) shown++;
    });
    var other = picker.querySelector('details');
    if (other && words.length) other.open = true;
    picker.querySelector('[data-crit-none]').hidden = shown > 0 || !words.length;
  });

  // Enter in the filter box filters; it does not submit the 判定 form.
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && ev.target instanceof Element && ev.target.hasAttribute('data-crit-filter')) ev.preventDefault();
  });

  function jsonData(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  // drawn marks a chart box as drawn (the browser tests wait for it).
  // ECharts writes its HTML tooltip with style attributes, which the CSP
  // refuses (style-src 'self'): tooltips are drawn on the canvas instead.
  function draw(box, height, option) {
    if (option.tooltip) option.tooltip.renderMode = 'richText';
    box.style.height = height + 'px';
    var c = echarts.init(box);
    c.setOption(option);
    box.dataset.drawn = '1';
    return c;
  }

  // drill makes a drawn chart's bars (or slices) open the list behind them
  // (issue 16.5): href(series index, data index) is the list's address, or
  // null for a bar that opens nothing. The pages' tables link to the same
  // lists for keyboards and screen readers.
  function drill(chart, href) {
    chart.on('click', function (p) {
      var u = href(p.seriesIndex, p.dataIndex);
      if (u) window.location.assign(u);
    });
    chart.getZr().on('mousemove', function (e) { chart.getZr().setCursorStyle(e.target ? 'pointer' : 'default'); });
  }

  function query(pairs) {
    return pairs.filter(function (p) { return p[1] !== '' && p[1] !== undefined && p[1] !== null; })
      .map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }).join('&');
  }

  function box(id) {
    var el = document.getElementById(id);
    return el && !el.dataset.drawn ? el : null;
  }

  function title(text) { return {text: text, left: 0, textStyle: {fontSize: 14}}; }

  // Hazard figures (home page and /hazards/figures): counts by region,
  // department, category and source.
  function hazardCharts() {
    var data = jsonData('hazard-chart-data');
    if (!data) return;
    // A bar opens the hazards of its line: reported in the year (上报),
    // of those closed (销号), open major ones and overdue ones now.
    function listOf(param, key, series) {
      var q = [[param, key]];
      if (series === 0) q.push(['year', data.year]);
      if (series === 1) q.push(['year', data.year], ['state', 'closed']);
      if (series === 2) q.push(['level', 'major'], ['open', '1']);
      if (series === 3) q.push(['overdue', '1']);
      return '/hazards?' + query(q);
    }
    function bars(id, name, d, param) {
      var el = box(id);
      if (!el || !d) return;
      var c = draw(el, Math.max(240, d.names.length * 26 + 90), {
        animation: false, title: title(name), tooltip: {trigger: 'axis'},
        legend: {top: 28, left: 0, data: ['上报', '销号', '未销号重大', '逾期']},
        grid: {left: 8, right: 24, top: 60, bottom: 8, containLabel: true},
        xAxis: {type: 'value', minInterval: 1},
        yAxis: {type: 'category', data: d.names, inverse: true},
        series: [
          {name: '上报', type: 'bar', data: d.total, itemStyle: {color: '#5b8def'}},
          {name: '销号', type: 'bar', data: d.closed, itemStyle: {color: '#2f7d32'}},
          {name: '未销号重大', type: 'bar', data: d.open_major, itemStyle: {color: '#c62828'}},
          {name: '逾期', type: 'bar', data: d.overdue, itemStyle: {color: '#ef6c00'}}
        ]
      });
      if (param && d.keys) drill(c, function (s, i) { return listOf(param, d.keys[i], s); });
    }
    // A donut whose labels stay whole (issue 14.6): each label sits at the
    // chart's edge with its count and share, and a long name wraps onto a
    // second line instead of being cut short.
    function pie(id, name, d) {
      var el = box(id);
      if (!el || !d) return;
      var c = draw(el, 320, {
        animation: false, title: title(name), tooltip: {trigger: 'item', formatter: '{b}: {c} ({d}%)'},
        series: [{type: 'pie', radius: ['28%', '52%'], center: ['50%', '56%'], avoidLabelOverlap: true,
          label: {formatter: '{b}\n{c} ({d}%)', alignTo: 'edge', edgeDistance: 6, lineHeight: 15, overflow: 'break', fontSize: 12},
          labelLine: {length: 8, length2: 0, maxSurfaceAngle: 80},
          labelLayout: {hideOverlap: false, moveOverlap: 'shiftY'},
          data: d.names.map(function (n, i) { return {name: n, value: d.total[i]}; })}]
      });
      if (d.keys) drill(c, function (s, i) { return listOf('source', d.keys[i], 0); });
    }
    bars('chart-region', '按属地', data.region, 'region');
    bars('chart-dept', '按监管部门', data.dept, 'dept');
    bars('chart-category', '按行业领域', data.category, 'category');
    pie('chart-source', '按来源', data.source);
  }

  // The hazards' monthly trend (/hazards/figures): reported, closed and
  // major per month as bars; a bar opens that month's list.
  function trendChart() {
    var t = jsonData('trend-data'), el = box('chart-trend');
    if (!t || !el) return;
    var ms = t.months || [];
    var pick = function (k) { return ms.map(function (m) { return m[k]; }); };
    var c = draw(el, 320, {
      animation: false, title: title('各月隐患'), tooltip: {trigger: 'axis'},
      legend: {top: 30, left: 0, data: ['上报', '销号', '重大']},
      grid: {left: 8, right: 24, top: 66, bottom: 8, containLabel: true},
      xAxis: {type: 'category', name: '月', nameGap: 4, data: ms.map(function (m) { return String(+m.month.slice(5)); }), axisLabel: {interval: 0, fontSize: 11}},
      yAxis: {type: 'value', minInterval: 1},
      series: [
        {name: '上报', type: 'bar', data: pick('reported'), itemStyle: {color: '#5b8def'}},
        {name: '销号', type: 'bar', data: pick('closed'), itemStyle: {color: '#2f7d32'}},
        {name: '重大', type: 'bar', data: pick('major'), itemStyle: {color: '#c62828'}}
      ]
    });
    drill(c, function (s, i) {
      var m = ms[i].month;
      return '/hazards?' + query(s === 1 ? [['closed_month', m]] : s === 2 ? [['month', m], ['level', 'major']] : [['month', m]]);
    });
  }

  // Plan figures: done, on-time and overdue rates by unit and by section.
  function planCharts() {
    var data = jsonData('chart-data');
    if (!data) return;
    function rates(id, name, d) {
      var el = box(id);
      if (!el || !d) return;
      var c = draw(el, Math.max(260, d.names.length * 26 + 80), {
        animation: false, title: title(name),
        tooltip: {trigger: 'axis', valueFormatter: function (v) { return v + '%'; }},
        legend: {top: 30, left: 0, data: ['完成率', '按时完成率', '逾期率']},
        grid: {left: 8, right: 24, top: 64, bottom: 8, containLabel: true},
        xAxis: {type: 'value', max: 100, axisLabel: {formatter: '{value}%'}},
        yAxis: {type: 'category', data: d.names, inverse: true},
        series: [
          {name: '完成率', type: 'bar', data: d.done, itemStyle: {color: '#2f7d32'}},
          {name: '按时完成率', type: 'bar', data: d.on_time, itemStyle: {color: '#5b8def'}},
          {name: '逾期率', type: 'bar', data: d.overdue, itemStyle: {color: '#c62828'}}
        ]
      });
      // A unit's bar opens its overdue duties on the 督办 page.
      if (d.links) drill(c, function (s, i) { return d.links[i]; });
    }
    rates('chart-unit', '按单位', data.unit);
    rates('chart-section', '按板块', data.section);
  }

  // The scorecard page's unit ranking: on-time rate, best first; a bar
  // opens the unit's scorecard.
  function rankingChart() {
    var d = jsonData('ranking-data'), el = box('chart-ranking');
    if (!d || !el) return;
    var c = draw(el, Math.max(220, d.names.length * 24 + 70), {
      animation: false, title: title('按时完成率排名'),
      tooltip: {trigger: 'axis', valueFormatter: function (v) { return v + '%'; }},
      grid: {left: 8, right: 48, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: 'value', max: 100, axisLabel: {formatter: '{value}%'}},
      yAxis: {type: 'category', data: d.names, inverse: true, axisLabel: {width: 150, overflow: 'break'}},
      series: [{name: '按时完成率', type: 'bar', data: d.scores, itemStyle: {color: '#5b8def'}, label: {show: true, position: 'right', formatter: '{c}%'}}]
    });
    drill(c, function (s, i) { return d.links[i]; });
  }

  // Risk points: the red/orange/yellow/blue shares by region or enterprise.
  function riskChart() {
    var d = jsonData('colour-data'), el = box('chart-colours');
    if (!d || !el) return;
    var s = function (name, key, color) { return {name: name, type: 'bar', stack: 'all', data: d[key], itemStyle: {color: color}}; };
    draw(el, Math.max(200, d.names.length * 28 + 90), {
      animation: false, title: title('红橙黄蓝四色分布'),
      tooltip: {trigger: 'axis'}, legend: {top: 28, left: 0},
      grid: {left: 8, right: 24, top: 60, bottom: 8, containLabel: true},
      xAxis: {type: 'value', minInterval: 1}, yAxis: {type: 'category', data: d.names, inverse: true},
      series: [s('重大风险', 'red', '#c62828'), s('较大风险', 'orange', '#ef6c00'), s('一般风险', 'yellow', '#f9a825'), s('低风险', 'blue', '#1e5ac8')]
    });
  }

  // Enforcement on the dashboard (issue 25): inspections planned and done
  // by month (a bar opens the month's inspections), cases by department (a
  // bar opens that department's cases of the year).
  function enforceCharts() {
    var d = jsonData('enforce-chart-data');
    if (!d) return;
    var el = box('chart-inspections');
    if (el && d.months) {
      var c = draw(el, 300, {
        animation: false, title: title('各月执法检查'), tooltip: {trigger: 'axis'},
        legend: {top: 28, left: 0, data: ['已安排', '已完成']},
        grid: {left: 8, right: 24, top: 62, bottom: 8, containLabel: true},
        xAxis: {type: 'category', name: '月', nameGap: 4, data: d.months.map(function (m) { return String(m.month); }), axisLabel: {interval: 0, fontSize: 11}},
        yAxis: {type: 'value', minInterval: 1},
        series: [
          {name: '已安排', type: 'bar', data: d.months.map(function (m) { return m.planned; }), itemStyle: {color: '#9db8ef'}},
          {name: '已完成', type: 'bar', data: d.months.map(function (m) { return m.done; }), itemStyle: {color: '#2f7d32'}}
        ]
      });
      drill(c, function (s, i) {
        var q = [['year', d.year], ['month', d.months[i].month]];
        if (s === 1) q.push(['state', 'closed']);
        return '/enforce/inspections?' + query(q);
      });
    }
    el = box('chart-cases');
    if (el && d.depts && d.depts.names.length) {
      var k = draw(el, Math.max(200, d.depts.names.length * 28 + 80), {
        animation: false, title: title('行政处罚案件 (按执法部门)'), tooltip: {trigger: 'axis'},
        grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
        xAxis: {type: 'value', minInterval: 1}, yAxis: {type: 'category', data: d.depts.names, inverse: true},
        series: [{name: '案件', type: 'bar', barMaxWidth: 28, data: d.depts.cases, itemStyle: {color: '#b71c1c'}}]
      });
      drill(k, function (s, i) { return '/enforce/cases?' + query([['year', d.year], ['unit', d.depts.keys[i]]]); });
    }
  }

  function charts() {
    if (!window.echarts) return;
    enforceCharts();
    hazardCharts();
    trendChart();
    planCharts();
    rankingChart();
    riskChart();
  }

  document.addEventListener('DOMContentLoaded', charts);
  document.addEventListener('htmx:load', charts);

  // Lists read as cards on a phone (issue 16.4): each cell of a table.list
  // gets its column's heading as data-label, which the stylesheet shows
  // before the value below 600 px; a table marked .nocards stays a table.
  function cardLists(root) {
    (root || document).querySelectorAll('table.list:not(.nocards)').forEach(function (t) {
      var heads = Array.prototype.map.call(t.querySelectorAll('thead th'), function (th) { return th.getAttribute('data-label') || th.textContent.trim(); });
      if (!heads.length) return;
      t.querySelectorAll('tbody tr').forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (!td.hasAttribute('colspan')) td.setAttribute('data-label', heads[i] || ''); // an empty heading (a column of buttons): no label
        });
      });
      t.classList.add('cards');
      // The headings are hidden on a phone: their sort links go above the
      // cards (shown by the stylesheet at phone widths only).
      var sorts = t.querySelectorAll('thead a.sort');
      var prev = t.previousElementSibling;
      if (sorts.length && !(prev && prev.classList.contains('cardsort'))) {
        var nav = document.createElement('nav');
        nav.className = 'cardsort';
        nav.setAttribute('aria-label', '排序');
        nav.appendChild(document.createTextNode('排序: '));
        sorts.forEach(function (a) {
          var c = a.cloneNode(true);
          if (a.closest('th').hasAttribute('aria-sort')) c.classList.add('current');
          nav.appendChild(c);
          nav.appendChild(document.createTextNode(' '));
        });
        t.parentNode.insertBefore(nav, t);
      }
    });
  }
  document.addEventListener('DOMContentLoaded', function () { cardLists(); });
  document.addEventListener('htmx:load', function (ev) { cardLists(ev.target); });

  // The inspection on a phone (templates/enforce/inspection.html).
  //
  // A checklist form[data-autosave=KEY] saves each mark as it is made:
  // the change is kept in localStorage under KEY first, then posted (the
  // page's own route, X-Autosave: 1 answers 204); only a saved change
  // leaves localStorage. A reload or a lost connection loses nothing: on
  // load the kept changes are put back into the form and sent again, and
  // again when the browser is back online. [data-save-status] says where
  // things stand.
  function autosave(form) {
    var key = 'anwei:' + form.getAttribute('data-autosave');
    var status = form.querySelector('[data-save-status]');
    function kept() { try { return JSON.parse(localStorage.getItem(key) || '{}'); } catch (e) { return {}; } }
    function keep(k) { try { localStorage.setItem(key, JSON.stringify(k)); } catch (e) { /* full or private: the post still goes */ } }
    function say(t) { if (status) status.textContent = t; }
    function itemOf(name) { var m = /^(result|note)_(.+)$/.exec(name); return m ? m[2] : null; }
    function send(item) {
      var k = kept(), v = k[item];
      if (!v) return;
      var body = new FormData();
      body.append('result_' + item, v.result || '');
      body.append('note_' + item, v.note || '');
      say('保存中…');
      fetch(form.action, { method: 'POST', body: body, headers: { 'X-Autosave': '1' }, credentials: 'same-origin' }).then(function (res) {
        if (res.status === 204) {
          var now = kept();
          if (now[item] && now[item].result === v.result && now[item].note === v.note) { delete now[item]; keep(now); }
          say(Object.keys(kept()).length ? '部分未保存' : '已自动保存');
        } else {
          res.text().then(function (t) { say('未保存: ' + (new DOMParser().parseFromString(t, 'text/html').querySelector('.flash.err, .error, h1') || {}).textContent); });
        }
      }).catch(function () { say('离线，已暂存在本机，联网后自动保存'); });
    }
    function record(item) {
      var checked = form.querySelector('input[name="result_' + item + '"]:checked');
      var note = form.querySelector('[name="note_' + item + '"]');
      if (!checked) return;
      var k = kept();
      k[item] = { result: checked.value, note: note ? note.value : '' };
      keep(k);
      var li = document.getElementById('item-' + item);
      if (li) li.classList.toggle('failed', checked.value === 'fail');
      send(item);
    }
    form.addEventListener('change', function (ev) { var it = itemOf(ev.target.name || ''); if (it) record(it); });
    // Restore what a reload or a lost connection left unsaved.
    var k = kept();
    Object.keys(k).forEach(function (item) {
      var r = form.querySelector('input[name="result_' + item + '"][value="' + k[item].result + '"]');
      var n = form.querySelector('[name="note_' + item + '"]');
      if (r) r.checked = true;
      if (n) n.value = k[item].note;
      send(item);
    });
    window.addEventListener('online', function () { Object.keys(kept()).forEach(send); });
    // The button sends every mark at once; what is kept here stays until
    // the server's answer comes back to #checklist with ?ok=… (a failed or
    // offline send loses nothing).
    if (new URLSearchParams(location.search).get('ok') && location.hash === '#' + form.id) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    }
  }

  // A form[data-draft=KEY] keeps what is typed in localStorage until the
  // server took it, and puts it back into empty fields after a reload or
  // another form's step (a lost connection on site; a signature saved
  // between typing the record and closing it). The server's answer to a
  // form that succeeded comes back to #its-id with ?ok=…: the draft is
  // then done with.
  function draft(form) {
    var key = 'anwei:draft:' + form.getAttribute('data-draft');
    var saved = {};
    if (new URLSearchParams(location.search).get('ok') && location.hash === '#' + form.id) {
      try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    }
    try { saved = JSON.parse(localStorage.getItem(key) || '{}'); } catch (e) { saved = {}; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || el.type === 'hidden' || !(el.name in saved)) return;
      if (el.type === 'radio' || el.type === 'checkbox') { el.checked = saved[el.name] === el.value; } else if (!el.value) { el.value = saved[el.name]; }
    });
    form.addEventListener('input', function () {
      var v = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === 'file' || el.type === 'hidden') return;
        if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
        v[el.name] = el.value;
      });
      try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* full or private */ }
    });
  }

  // A signature pad: a form[data-sign] with a canvas drawn on by finger or
  // mouse (pointer events); the drawing goes as a PNG data: URL in the
  // hidden input signature when the form is sent. [data-sign-clear] wipes it.
  function signPad(form) {
    var c = form.querySelector('canvas'), input = form.querySelector('input[name=signature]');
    var ctx = c.getContext('2d'), drawing = false, inked = false;
    ctx.lineWidth = 4; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#000';
    function at(ev) { var r = c.getBoundingClientRect(); return [(ev.clientX - r.left) * c.width / r.width, (ev.clientY - r.top) * c.height / r.height]; }
    c.addEventListener('pointerdown', function (ev) { ev.preventDefault(); drawing = true; c.setPointerCapture(ev.pointerId); var p = at(ev); ctx.beginPath(); ctx.moveTo(p[0], p[1]); });
    c.addEventListener('pointermove', function (ev) { if (!drawing) return; ev.preventDefault(); var p = at(ev); ctx.lineTo(p[0], p[1]); ctx.stroke(); inked = true; });
    ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (t) { c.addEventListener(t, function () { drawing = false; }); });
    var clear = form.querySelector('[data-sign-clear]');
    if (clear) clear.addEventListener('click', function () { ctx.clearRect(0, 0, c.width, c.height); inked = false; });
    form.addEventListener('submit', function () { input.value = inked ? c.toDataURL('image/png') : ''; });
  }

  // Starting an inspection: the position, when the browser gives it within
  // a few seconds, goes with the form (form[data-geo]).
  function geoStart(form) {
    var asked = false;
    form.addEventListener('submit', function (ev) {
      if (asked || !navigator.geolocation) return;
      ev.preventDefault();
      asked = true;
      var done = function () { form.submit(); };
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude; form.elements.lon.value = pos.coords.longitude; done();
      }, done, { timeout: 5000, maximumAge: 60000 });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-autosave]').forEach(autosave);
    document.querySelectorAll('form[data-draft]').forEach(draft);
    document.querySelectorAll('form[data-sign]').forEach(signPad);
    document.querySelectorAll('form[data-geo]').forEach(geoStart);
  });
})();
