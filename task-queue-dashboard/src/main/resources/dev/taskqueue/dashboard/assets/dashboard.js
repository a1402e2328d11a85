// The dashboard's script: no framework, no build. It confirms actions, keeps the workers' and tasks' tables and a
// task's state live from the server-sent events of {base}/stream, and redraws the throughput chart.
(function () {
	'use strict';

	var base = document.body.getAttribute('data-base') || '';
	var MAX_ROWS = 500;

	// every action form asks first; the page works without this script too (no confirmation then)
	document.addEventListener('submit', function (event) {
		var form = event.target;
		if (form.matches && form.matches('form.action[data-confirm]')) {
			if (!window.confirm(form.getAttribute('data-confirm'))) {
				event.preventDefault();
			}
		}
	});

	function segment(value) {
		return encodeURIComponent(value);
	}

	function link(href, text) {
		var a = document.createElement('a');
		a.href = href;
		a.textContent = text;
		return a;
	}

	// fill the cells of a row whose classes are the row's keys; links stay links
	function update(row, data) {
		Object.keys(data).forEach(function (key) {
			var cell = row.querySelector('td.' + key);
			if (!cell) {
				return;
			}
			var a = cell.querySelector('a');
			if (a) {
				a.textContent = data[key];
			}
			else {
				cell.textContent = data[key];
			}
		});
	}

	// a new row with one cell per column (th[data-col]), as the server renders it
	function newRow(table, data, linkColumn, href) {
		var row = document.createElement('tr');
		table.querySelectorAll('thead th[data-col]').forEach(function (th) {
			var column = th.getAttribute('data-col');
			var cell = document.createElement('td');
			cell.className = column;
			var text = (data[column] !== undefined) ? data[column] : '';
			if (column === linkColumn) {
				cell.appendChild(link(href, text));
			}
			else {
				cell.textContent = text;
			}
			row.appendChild(cell);
		});
		return row;
	}

	function matches(table, task) {
		var state = table.getAttribute('data-state');
		var name = table.getAttribute('data-name');
		var worker = table.getAttribute('data-worker');
		return (!state || task.state === state)
			&& (!name || (task.name || '').toLowerCase().indexOf(name.toLowerCase()) >= 0)
			&& (!worker || task.worker === worker);
	}

	function onTask(task) {
		var table = document.querySelector('table#tasks');
		if (table) {
			var row = table.querySelector('tr[data-task-id="' + CSS.escape(task.id) + '"]');
			if (row) {
				update(row, task);
				row.setAttribute('data-state', task.state);
				if (!matches(table, task)) {
					row.remove();
				}
			}
			else if (matches(table, task)) {
				row = newRow(table, task, 'id', base + '/tasks/' + segment(task.id));
				row.setAttribute('data-task-id', task.id);
				row.setAttribute('data-state', task.state);
				var body = table.tBodies[0];
				body.insertBefore(row, body.firstChild);
				// as many rows as the server lists: a tab left open does not grow without bound
				while (body.rows.length > MAX_ROWS) {
					body.deleteRow(body.rows.length - 1);
				}
			}
		}
		var id = document.getElementById('task-id');
		var state = document.getElementById('task-state');
		if (id && state && id.textContent === task.id) {
			state.textContent = task.state;
			state.setAttribute('data-state', task.state);
		}
	}

	function onWorker(worker) {
		var table = document.querySelector('table#workers');
		if (!table) {
			return;
		}
		var row = table.querySelector('tr[data-worker="' + CSS.escape(worker.name) + '"]');
		if (row) {
			update(row, worker);
		}
		else {
			row = newRow(table, worker, 'name', base + '/workers/' + segment(worker.name));
			row.setAttribute('data-worker', worker.name);
			table.tBodies[0].appendChild(row);
		}
	}

	var live = document.querySelector('table#tasks, table#workers, #task-state');
	if (live && window.EventSource) {
		var source = new EventSource(base + '/stream');
		source.addEventListener('task', function (event) {
			onTask(JSON.parse(event.data));
		});
		source.addEventListener('worker', function (event) {
			onWorker(JSON.parse(event.data));
		});
		window.addEventListener('beforeunload', function () {
			source.close();
		});
	}

	var chart = document.getElementById('throughput-chart');
	if (chart && window.fetch) {
		setInterval(function () {
			fetch(chart.getAttribute('data-src'), { credentials: 'same-origin' })
				.then(function (response) {
					return response.ok ? response.text() : null;
				})
				.then(function (svg) {
					if (svg && svg.indexOf('<svg') === 0) {
						chart.innerHTML = svg;
					}
				})
				.catch(function () {
				});
		}, 5000);
	}
})();
