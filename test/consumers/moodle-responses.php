<?php
// Writes the CSV that Moodle's quiz Responses report (Quiz → Results → Responses, "Download table data as" CSV)
// gives for a quiz of questions imported from a Moodle XML file of `nabla exercise --format moodle`, with Moodle's
// own code from a Moodle source tree named by MOODLE_DIR, as test/fixtures/platform/moodle-responses.csv is written.
//
// usage: MOODLE_DIR=/path/to/moodle php test/consumers/moodle-responses.php moodle.xml attempts.json > responses.csv
//   attempts.json: {"quizgrade": 10, "identity": ["idnumber"], "slots": 3, "rows": [{"lastname": "…",
//   "firstname": "…", "identity": ["s001"], "state": "finished", "timestart": "…", "timefinish": "…",
//   "duration": "…", "questions": [{"question": 0, "responses": {"1": "0.5", …}}, …]}, …]}
//   (question = index among the imported questions, as for moodle-cloze.php; one per slot, in slot order).
//
// The import and the questions are moodle-cloze.php's (Moodle's qformat_xml, qtype_multianswer_question,
// qtype_numerical_question). What runs of Moodle's code here, and where it is in Moodle 4.5:
// - the header: mod/quiz/report/responses/report.php (quiz_responses_report::display) and
//   mod/quiz/classes/local/reports/attempts_report.php (add_user_columns when downloading: lastname, firstname and
//   the identity fields; add_state_column; add_time_columns; add_grade_columns): the language strings are
//   Moodle's, read from its lang files (lastname, firstname, idnumber …, quiz's attemptstate, startedon,
//   timecompleted, attemptduration, gradenoun, question's questionx, quiz_responses' responsex);
// - "Question N": question_attempt::start stores the behaviour's get_question_summary, i.e.
//   qtype_multianswer_question::get_question_summary (question text → question_utils::to_plain_text →
//   html_to_text of lib/weblib.php, with Html2Text from lib/html2text; each field {#n} → "_____");
// - "Response N": the deferred feedback behaviour's process_finish stores summarise_response of the last response,
//   qtype_multianswer_question::summarise_response ("part 1: …; part 2: …", string subqresponse);
//   quiz_last_responses_table::data_col trims it ('-' when there is none);
// - the grade: quiz_rescale_grade of the attempt's marks, to the quiz's 2 decimal places;
// - the download: every cell through core_table\base_export_format::format_text (lib/table/classes, taken by name),
//   then written by OpenSpout's CSV writer (lib/openspout, as dataformat_csv\writer does: BOM, comma, fputcsv).
// Stubbed, not Moodle's: format_text (identity: the text is HTML and no filter runs; the MathJax filter's spans are
// removed by html_to_text anyway), userdate and format_time (the times are given as text in attempts.json).

define('NABLA_MOODLE_RESPONSES', true);
$spec = json_decode(file_get_contents($argv[2]), true, 512, JSON_THROW_ON_ERROR);
$argv = [$argv[0], $argv[1]];
$argc = 2;
require __DIR__ . '/moodle-cloze.php'; // $dir, $graders (qtype_multianswer_question per imported question)

function format_text($text, $format = FORMAT_MOODLE, $options = null) {
    return $text;
}
$weblib = file_get_contents("$dir/lib/weblib.php");
eval(moodle_function($weblib, 'html_to_text') . ';');
require "$dir/lib/html2text/src/Html2Text.php";
require "$dir/lib/html2text/lib.php";
eval(moodle_code_without_requires("$dir/question/engine/lib.php"));
$exportsrc = moodle_function(file_get_contents("$dir/lib/table/classes/base_export_format.php"), 'format_text');
$export = eval("return new class { public $exportsrc };");
spl_autoload_register(function ($class) use ($dir) {
    if (str_starts_with($class, 'OpenSpout\\')) {
        require "$dir/lib/openspout/src/" . str_replace('\\', '/', substr($class, strlen('OpenSpout\\'))) . '.php';
    }
});

$headers = [get_string('lastname'), get_string('firstname')];
foreach ($spec['identity'] as $field) {
    $headers[] = get_string($field);
}
$format2 = fn($x) => number_format($x, 2, '.', '');
array_push($headers, get_string('attemptstate', 'quiz'), get_string('startedon', 'quiz'),
    get_string('timecompleted', 'quiz'), get_string('attemptduration', 'quiz'),
    get_string('gradenoun') . '/' . $format2($spec['quizgrade']));
for ($n = 1; $n <= $spec['slots']; $n++) {
    $headers[] = get_string('questionx', 'question', $n);
    $headers[] = get_string('responsex', 'quiz_responses', $n);
}

$rows = [];
foreach ($spec['rows'] as $r) {
    $row = [$r['lastname'], $r['firstname'], ...$r['identity']];
    $finished = $r['state'] === 'finished';
    $marks = 0;
    $max = 0;
    $cells = [];
    foreach ($r['questions'] as $q) {
        $mq = $graders[$q['question']];
        $response = [];
        foreach ($q['responses'] as $key => $v) {
            $response["sub{$key}_answer"] = $v;
        }
        [$fraction] = $mq->grade_response($response);
        $marks += $fraction * $mq->defaultmark;
        $max += $mq->defaultmark;
        $cells[] = trim($mq->get_question_summary());
        $cells[] = $finished ? trim($mq->summarise_response($response)) : '-';
    }
    array_push($row, get_string('state' . $r['state'], 'quiz'), $r['timestart'], $r['timefinish'], $r['duration'],
        $finished ? $format2($marks * $spec['quizgrade'] / $max) : '-', ...$cells);
    $rows[] = $row;
}

$writer = new OpenSpout\Writer\CSV\Writer();
$writer->openToFile('php://stdout');
foreach ([$headers, ...$rows] as $row) {
    $writer->addRow(OpenSpout\Common\Entity\Row::fromValues(array_map(fn($c) => $export->format_text($c), $row)));
}
$writer->close();
