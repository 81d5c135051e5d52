<?php
// Imports a Moodle XML file written by `nabla exercise --format moodle` with Moodle's own code, from a Moodle
// source tree named by MOODLE_DIR, and prints as JSON what Moodle makes of it: per question its category, name,
// text with {#n} placeholders and subquestions (type, mark, and per answer the value, tolerance, fraction and
// feedback as Moodle stores them), the import's error messages, and, for the responses given, the grades and
// the feedback Moodle shows.
//
// usage: MOODLE_DIR=/path/to/moodle php test/consumers/moodle-cloze.php moodle.xml [responses.json]
//   responses.json: [{"question": 0, "responses": {"1": "0.5", "2": "3"}}, …] (question = index among the
//   imported non-category questions; keys are the Cloze field numbers {#n})
//
// Moodle's code is not copied here (it is GPL; this repository is MIT): it is loaded from MOODLE_DIR at run time.
// Checked with Moodle 4.5.6 (Build 20250811): see docs/lecturer.md, "Moodle and other platforms". What runs:
// - the import: qformat_xml::readquestions (question/format/xml/format.php, with qformat_default from
//   question/format.php and xmlize from lib/xmlize.php), which for a <question type="cloze"> calls
//   qtype_multianswer_extract_question and qtype_multianswer_validate_question
//   (question/type/multianswer/questiontype.php);
// - the save of each NUMERICAL subquestion: qtype_numerical::save_question_options
//   (question/type/numerical/questiontype.php) into an in-memory stand-in for Moodle's database;
// - the grading: qtype_numerical::initialise_numerical_answers and make_answer_processor build the subquestion
//   (qtype_numerical_question, qtype_numerical_answer from question/type/numerical/question.php), and
//   qtype_multianswer_question::grade_response (question/type/multianswer/question.php) grades the responses;
//   the feedback shown is the matching answer's, found as question/type/multianswer/renderer.php does for a
//   numerical subquestion (ap->apply_units($response, '') then get_matching_answer($value, 1)).
// Only Moodle's framework is stubbed below (database, strings, files, tags, the question bank, the question_type
// base class); each Moodle file is loaded whole, except questiontype.php files, whose require_once lines (the
// question engine, questionlib) are dropped, and two functions and one method taken by name from lib/moodlelib.php
// and question/type/questiontypebase.php.

if ($argc < 2) {
    fwrite(STDERR, "usage: MOODLE_DIR=… php moodle-cloze.php moodle.xml [responses.json]\n");
    exit(2);
}
$dir = getenv('MOODLE_DIR');
const MOODLE_FILES = [
    'question/format/xml/format.php', 'question/format.php', 'lib/xmlize.php',
    'question/type/multianswer/questiontype.php', 'question/type/multianswer/question.php',
    'question/type/numerical/questiontype.php', 'question/type/numerical/question.php',
    'question/type/shortanswer/question.php', 'question/type/multichoice/question.php',
    'question/type/questionbase.php', 'question/type/questiontypebase.php',
    'question/engine/states.php', 'question/engine/questionattemptstep.php', 'lib/moodlelib.php',
    'question/classes/local/bank/question_version_status.php',
];
foreach (MOODLE_FILES as $f) {
    if (!$dir || !is_readable("$dir/$f")) {
        fwrite(STDERR, "MOODLE_DIR must name a Moodle source tree with $f\n");
        exit(3);
    }
}
$CFG = new stdClass();
$CFG->dirroot = $dir;
$CFG->libdir = "$dir/lib";

// --- stubs for Moodle's framework -------------------------------------------------------------------------------
define('MOODLE_INTERNAL', true);
define('FORMAT_MOODLE', '0');
define('FORMAT_HTML', '1');
define('FORMAT_PLAIN', '2');
define('FORMAT_WIKI', '3');
define('FORMAT_MARKDOWN', '4');
define('PARAM_TEXT', 'text');
define('PARAM_RAW_TRIMMED', 'raw_trimmed');
define('DEBUG_DEVELOPER', 32767);
class moodle_exception extends Exception {
    public function __construct($errorcode, $module = '', $link = '', $a = null, $debuginfo = null) {
        parent::__construct("$module/$errorcode: " . json_encode($a));
    }
}
class coding_exception extends moodle_exception {
    public function __construct($hint, $debuginfo = null) {
        parent::__construct('codingerror', 'debug', '', $hint);
    }
}
$DEBUGGING = [];
function debugging($message = '', $level = 0) {
    $GLOBALS['DEBUGGING'][] = $message;
}
/** Moodle's English strings, read from the language files in MOODLE_DIR. */
function get_string($identifier, $component = '', $a = null) {
    $dir = $GLOBALS['CFG']->dirroot;
    $file = match (true) {
        $component === '' || $component === 'moodle' => "$dir/lang/en/moodle.php",
        (bool) preg_match('/^(qtype|qformat)_(\w+)$/', $component, $m) =>
            "$dir/question/" . ($m[1] === 'qtype' ? 'type' : 'format') . "/$m[2]/lang/en/$component.php",
        $component === 'quiz' => "$dir/mod/quiz/lang/en/quiz.php",
        (bool) preg_match('/^quiz_(\w+)$/', $component, $m) => "$dir/mod/quiz/report/$m[1]/lang/en/$component.php",
        default => "$dir/lang/en/$component.php",
    };
    $string = [];
    if (is_readable($file)) {
        include($file);
    }
    if (!isset($string[$identifier])) {
        return "[$component/$identifier]" . ($a === null ? '' : ' ' . json_encode($a));
    }
    $s = $string[$identifier];
    if (is_scalar($a)) {
        $s = str_replace('{$a}', (string) $a, $s);
    } else if (is_object($a) || is_array($a)) {
        // as lib/classes/string_manager_standard.php: {$a->key} by each string property (null gives '')
        foreach ((array) $a as $key => $value) {
            if (!is_int($key) && !is_array($value) && !is_object($value)) {
                $s = str_replace('{$a->' . $key . '}', (string) $value, $s);
            }
        }
    }
    return $s;
}
function get_config($plugin, $name = null) {
    return false;
}
function clean_param($param, $type) {
    // moodlelib's PARAM_TEXT keeps text and strips tags; names written by nabla have no tags.
    return strip_tags((string) $param);
}
function s($var) {
    return htmlspecialchars((string) $var, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}
class core_text {
    public static function strlen($text) {
        return preg_match_all('/./us', (string) $text);
    }
}
class core_tag_tag {
    public static function is_enabled($component, $itemtype) {
        return false;
    }
}
class question_bank {
    // The question types' files are loaded below; the bank's lookup is not needed.
    public static function get_qtype($name, $mustexist = true) {
        return null;
    }
}
class file_storage_stub {
    public function delete_area_files(...$args) {
        return true;
    }
}
function get_file_storage() {
    return new file_storage_stub();
}

/** An in-memory stand-in for $DB: records per table, values stored as strings (as the database returns them). */
class memory_db {
    private array $tables = [];
    private int $next = 1;

    private static function row($record): stdClass {
        $row = new stdClass();
        foreach ((array) $record as $k => $v) {
            $row->$k = is_bool($v) ? ($v ? '1' : '0') : (is_scalar($v) ? (string) $v : $v);
        }
        return $row;
    }
    private function matching(string $table, array $conditions): array {
        return array_filter($this->tables[$table] ?? [], function ($r) use ($conditions) {
            foreach ($conditions as $k => $v) {
                if ((string) $r->$k !== (string) $v) {
                    return false;
                }
            }
            return true;
        });
    }
    public function get_records($table, array $conditions = [], $sort = '') {
        $rows = $this->matching($table, $conditions);
        if (preg_match('/^(\w+) ASC$/', $sort, $m)) {
            uasort($rows, fn($a, $b) => $a->{$m[1]} <=> $b->{$m[1]});
        }
        return array_map(fn($r) => clone $r, $rows);
    }
    public function get_record($table, array $conditions) {
        $rows = $this->get_records($table, $conditions, 'id ASC');
        return $rows ? reset($rows) : false;
    }
    public function insert_record($table, $record) {
        $row = self::row($record);
        $row->id = (string) $this->next++;
        $this->tables[$table][$row->id] = $row;
        return (int) $row->id;
    }
    public function update_record($table, $record) {
        $row = self::row($record);
        $this->tables[$table][$row->id] = $row;
        return true;
    }
    public function delete_records($table, array $conditions = []) {
        foreach (array_keys($this->matching($table, $conditions)) as $id) {
            unset($this->tables[$table][$id]);
        }
        return true;
    }
}
$DB = new memory_db();
// Moodle's class autoloader, for the namespaced classes of core_question (question/classes/…).
spl_autoload_register(function ($class) use ($dir) {
    if (preg_match('/^core_question\\\\(.+)$/', $class, $m)) {
        $path = "$dir/question/classes/" . str_replace('\\', '/', $m[1]) . '.php';
        if (is_readable($path)) {
            require($path);
        }
    }
});

// --- Moodle's code, from MOODLE_DIR -----------------------------------------------------------------------------
/** The source text of the function or method named $name (from the "function" keyword to its closing brace). */
function moodle_function(string $code, string $name): string {
    $tokens = token_get_all($code);
    $n = count($tokens);
    for ($i = 0; $i < $n; $i++) {
        if (!is_array($tokens[$i]) || $tokens[$i][0] !== T_FUNCTION) {
            continue;
        }
        $j = $i + 1;
        while (is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE) {
            $j++;
        }
        if (!is_array($tokens[$j]) || $tokens[$j][1] !== $name) {
            continue;
        }
        $part = '';
        $depth = 0;
        for ($j = $i; $j < $n; $j++) {
            $t = $tokens[$j];
            $part .= is_array($t) ? $t[1] : $t;
            if ($t === '{' || (is_array($t) && in_array($t[0], [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true))) {
                $depth++;
            } else if ($t === '}' && --$depth === 0) {
                return $part;
            }
        }
    }
    fwrite(STDERR, "function $name not found in the Moodle source\n");
    exit(3);
}

/** A Moodle file's code without its opening tag and its require_once statements, to eval. */
function moodle_code_without_requires(string $path): string {
    $out = '';
    $skip = false;
    foreach (token_get_all(file_get_contents($path)) as $t) {
        if (is_array($t) && $t[0] === T_OPEN_TAG) {
            continue;
        }
        if (is_array($t) && $t[0] === T_REQUIRE_ONCE) {
            $skip = true;
        }
        if (!$skip) {
            $out .= is_array($t) ? $t[1] : $t;
        }
        if ($skip && $t === ';') {
            $skip = false;
        }
    }
    return $out;
}

$moodlelib = file_get_contents("$dir/lib/moodlelib.php");
eval(moodle_function($moodlelib, 'html_is_blank') . "\n" . moodle_function($moodlelib, 'fullclone') . ';');
// question_type (questiontypebase.php) needs the whole question engine; only the method that saving a
// NUMERICAL subquestion's answers calls is taken from it, with save_hints (a subquestion has no hints) a no-op.
$importorsave = moodle_function(file_get_contents("$dir/question/type/questiontypebase.php"), 'import_or_save_files');
// name() as in questiontypebase.php: the class name without "qtype_" (get_question_summary asks a subquestion's).
eval("class question_type {\n    public \$fileoptions = [];\n    $importorsave\n"
    . "    public function save_hints(\$formdata, \$withparts = false) {}\n"
    . "    public function name() { return substr(get_class(\$this), 6); }\n}");

require("$dir/question/engine/states.php");
require("$dir/question/engine/questionattemptstep.php");
require("$dir/question/type/questionbase.php");
require("$dir/question/type/multichoice/question.php");
require("$dir/question/type/shortanswer/question.php");
require("$dir/question/type/numerical/question.php");
require("$dir/question/type/multianswer/question.php");
eval(moodle_code_without_requires("$dir/question/type/numerical/questiontype.php"));
eval(moodle_code_without_requires("$dir/question/type/multianswer/questiontype.php"));
require("$dir/question/format/xml/format.php"); // requires lib/xmlize.php and question/format.php

// --- the import ---------------------------------------------------------------------------------------------
$format = new qformat_xml();
ob_start();
$imported = $format->readquestions(file($argv[1]));
$importoutput = ob_get_clean();
if ($imported === false) {
    fwrite(STDERR, "$argv[1]: Moodle's import failed: " . trim(strip_tags($importoutput)) . "\n");
    exit(4);
}

/**
 * A NUMERICAL subquestion as Moodle saves it (qtype_numerical::save_question_options) and loads it again
 * (qtype_numerical::get_question_options' query: the answers with their tolerance, by id), made into the
 * qtype_numerical_question that grades it (initialise_question_instance's numerical parts).
 */
function saved_numerical(stdClass $wrapped, int $id): array {
    global $DB;
    $qtype = new qtype_numerical();
    $form = fullclone($wrapped);
    $form->id = $id;
    $form->context = (object) ['id' => 1];
    $result = $qtype->save_question_options($form);
    $answers = [];
    foreach ($DB->get_records('question_answers', ['question' => $id], 'id ASC') as $a) {
        $n = $DB->get_record('question_numerical', ['answer' => $a->id]);
        $a->tolerance = $n ? $n->tolerance : '0';
        $answers[$a->id] = $a;
    }
    $options = $DB->get_record('question_numerical_options', ['question' => $id]);
    $questiondata = (object) ['options' => (object) ['answers' => $answers]];
    $q = new qtype_numerical_question();
    $qtype->initialise_numerical_answers($q, $questiondata);
    $q->id = $id;
    $q->qtype = $qtype;
    $q->defaultmark = $wrapped->defaultmark + 0;
    $q->unitdisplay = $options->showunits;
    $q->unitgradingtype = $options->unitgradingtype;
    $q->unitpenalty = $options->unitpenalty;
    $q->unitsleft = $options->unitsleft;
    $q->ap = $qtype->make_answer_processor([], $options->unitsleft);
    return [$q, $answers, $result === true ? null : $result];
}

$category = null;
$questions = [];
$graders = [];
$nextid = 1000;
foreach ($imported as $qo) {
    if ($qo->qtype === 'category') {
        $category = $qo->category;
        continue;
    }
    if ($qo->qtype !== 'multianswer') {
        fwrite(STDERR, "question of type $qo->qtype: expected cloze or category\n");
        exit(5);
    }
    $mq = new qtype_multianswer_question();
    $mq->questiontext = $qo->questiontext;
    $mq->questiontextformat = $qo->questiontextformat;
    $mq->defaultmark = (float) $qo->defaultmark;
    $subs = [];
    foreach ($qo->options->questions as $key => $wrapped) {
        $sub = ['key' => $key, 'qtype' => $wrapped->qtype, 'defaultmark' => (float) $wrapped->defaultmark];
        if ($wrapped->qtype === 'numerical') {
            [$q, $answers, $notice] = saved_numerical($wrapped, $nextid++);
            $mq->subquestions[$key] = $q;
            $sub['answers'] = array_values(array_map(fn($a) => [
                'answer' => $a->answer,
                'tolerance' => $a->tolerance,
                'fraction' => (float) $a->fraction,
                'feedback' => $a->feedback,
            ], $answers));
            $sub['notice'] = $notice;
        }
        $subs[] = $sub;
    }
    $graders[] = $mq;
    $questions[] = [
        'name' => $qo->name,
        'category' => $category,
        'defaultmark' => (float) $qo->defaultmark,
        'penalty' => (float) $qo->penalty,
        'text' => $qo->questiontext,
        'subquestions' => $subs,
    ];
}

// --- the grading --------------------------------------------------------------------------------------------
$graded = [];
if (isset($argv[2])) {
    foreach (json_decode(file_get_contents($argv[2]), true, 512, JSON_THROW_ON_ERROR) as $set) {
        $mq = $graders[$set['question']];
        $response = [];
        foreach ($set['responses'] as $key => $r) {
            $response["sub{$key}_answer"] = $r;
        }
        [$fraction, $state] = $mq->grade_response($response);
        $subs = [];
        foreach ($set['responses'] as $key => $r) {
            $subq = $mq->subquestions[$key];
            [$subfraction, $substate] = $subq->grade_response(['answer' => $r]);
            // question/type/multianswer/renderer.php, qtype_multianswer_textfield_renderer::subquestion
            [$value, $unit, $multiplier] = $subq->ap->apply_units($r, '');
            $matching = $subq->get_matching_answer($value, 1);
            $subs[$key] = [
                'fraction' => (float) $subfraction,
                'state' => (string) $substate,
                'feedback' => $matching ? $matching->feedback : null,
            ];
        }
        $graded[] = ['question' => $set['question'], 'fraction' => $fraction, 'state' => (string) $state,
            'subquestions' => $subs];
    }
}

if (defined('NABLA_MOODLE_RESPONSES')) {
    return; // moodle-responses.php goes on with $questions and $graders
}
echo json_encode([
    'importerrors' => $format->importerrors,
    'importoutput' => trim(strip_tags($importoutput)),
    'debugging' => $DEBUGGING,
    'questions' => $questions,
    'graded' => $graded,
], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT), "\n";
