<?php
// Runs Moodle's own Cloze parser on a Moodle XML file written by `nabla exercise --format moodle` and prints what
// Moodle makes of each question, as JSON: per Cloze question its name, category, text with {#n} placeholders and
// subquestions (type, mark, and per answer its value, tolerance, fraction and feedback), and the errors of
// qtype_multianswer_validate_question when that function is in the source.
//
// usage: MOODLE_DIR=/path/to/moodle php test/consumers/moodle-cloze.php moodle.xml
//
// Moodle's code is not copied here (it is GPL; this repository is MIT): this script reads it from a Moodle source
// tree at run time, from question/type/multianswer/questiontype.php (checked with Moodle 4.x, where the regexes
// were last changed by the MULTIRESPONSE types): every top-level define() (ANSWER_REGEX and the regexes it is built
// from) and the functions qtype_multianswer_extract_question and qtype_multianswer_validate_question, which
// question/format/xml/format.php's import_multianswer calls on the <questiontext>. Only Moodle's framework is
// stubbed below. The XML is read with PHP's SimpleXML in place of Moodle's xmlize (both give the <text> content).

if ($argc < 2) {
    fwrite(STDERR, "usage: MOODLE_DIR=… php moodle-cloze.php moodle.xml\n");
    exit(2);
}
$dir = getenv('MOODLE_DIR');
$source = $dir . '/question/type/multianswer/questiontype.php';
if (!$dir || !is_readable($source)) {
    fwrite(STDERR, "MOODLE_DIR must name a Moodle source tree with question/type/multianswer/questiontype.php\n");
    exit(3);
}

// --- stubs for Moodle's framework (lib/weblib.php, lib/moodlelib.php, question/type/…) -----------------------
define('MOODLE_INTERNAL', true);
define('FORMAT_HTML', '1');
class moodle_exception extends Exception {
    public function __construct($errorcode, $module = '', $link = '', $a = null) {
        parent::__construct("$module/$errorcode: " . json_encode($a));
    }
}
class qtype_multichoice_base {
    const LAYOUT_DROPDOWN = 0;
    const LAYOUT_VERTICAL = 1;
    const LAYOUT_HORIZONTAL = 2;
}
class qtype_numerical {
    // Moodle's is_valid_number runs the answer processor; nabla writes plain decimals, which is_numeric accepts.
    public static function is_valid_number(string $x): bool {
        return is_numeric(str_replace(',', '.', $x));
    }
}
function get_string($identifier, $component = '', $a = null) {
    return "[$component/$identifier]";
}
function fullclone($thing) {
    return unserialize(serialize($thing));
}

// --- Moodle's code, extracted from the source tree ----------------------------------------------------------
/** Whether a token opens a brace ("{", or "{$" inside a string); a "}" closes one only as a token of its own. */
function opens($t): bool {
    return $t === '{' || (is_array($t) && ($t[0] === T_CURLY_OPEN || $t[0] === T_DOLLAR_OPEN_CURLY_BRACES));
}

/** The source text of each top-level define(...) and of the named functions, in file order. */
function extract_parts(string $code, array $functions): string {
    $tokens = token_get_all($code);
    $out = [];
    $n = count($tokens);
    $depth = 0;
    for ($i = 0; $i < $n; $i++) {
        $t = $tokens[$i];
        $text = is_array($t) ? $t[1] : $t;
        if (opens($t)) {
            $depth++;
            continue;
        }
        if ($t === '}') {
            $depth--;
            continue;
        }
        if ($depth !== 0 || !is_array($t)) {
            continue;
        }
        if ($t[0] === T_STRING && $t[1] === 'define') {
            $part = '';
            for ($j = $i; $j < $n; $j++) {
                $u = is_array($tokens[$j]) ? $tokens[$j][1] : $tokens[$j];
                $part .= $u;
                if ($u === ';') {
                    break;
                }
            }
            $out[] = $part;
            $i = $j;
        } else if ($t[0] === T_FUNCTION) {
            $j = $i + 1;
            while (is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE) {
                $j++;
            }
            if (!is_array($tokens[$j]) || !in_array($tokens[$j][1], $functions, true)) {
                continue;
            }
            $part = '';
            $inner = 0;
            $opened = false;
            for ($j = $i; $j < $n; $j++) {
                $u = $tokens[$j];
                $s = is_array($u) ? $u[1] : $u;
                $part .= $s;
                if (opens($u)) {
                    $inner++;
                    $opened = true;
                } else if ($u === '}') {
                    $inner--;
                    if ($opened && $inner === 0) {
                        break;
                    }
                }
            }
            $out[] = $part;
            $i = $j;
        }
    }
    return implode("\n", $out);
}

$parts = extract_parts(file_get_contents($source),
    ['qtype_multianswer_extract_question', 'qtype_multianswer_validate_question']);
eval($parts);
if (!function_exists('qtype_multianswer_extract_question') || !defined('ANSWER_REGEX')) {
    fwrite(STDERR, "$source: qtype_multianswer_extract_question or ANSWER_REGEX not found\n");
    exit(3);
}

// --- the import -----------------------------------------------------------------------------------------------
$xml = simplexml_load_file($argv[1], 'SimpleXMLElement', LIBXML_NONET);
if ($xml === false) {
    fwrite(STDERR, "$argv[1]: not well-formed XML\n");
    exit(4);
}
$category = null;
$questions = [];
foreach ($xml->question as $q) {
    $type = (string) $q['type'];
    if ($type === 'category') {
        $category = trim((string) $q->category->text);
        continue;
    }
    if ($type !== 'cloze') {
        fwrite(STDERR, "question of type $type: expected cloze or category\n");
        exit(5);
    }
    // question/format/xml/format.php import_multianswer: import_text_with_files(questiontext), then the parser
    $text = ['text' => trim((string) $q->questiontext->text), 'format' => FORMAT_HTML, 'itemid' => ''];
    $qo = qtype_multianswer_extract_question($text);
    $errors = function_exists('qtype_multianswer_validate_question') ? qtype_multianswer_validate_question($qo) : null;
    $subs = [];
    foreach ($qo->options->questions as $key => $w) {
        $answers = [];
        foreach ($w->answer as $i => $a) {
            $answers[] = [
                'answer' => $a,
                'tolerance' => isset($w->tolerance[$i]) ? (string) $w->tolerance[$i] : null,
                'fraction' => (float) $w->fraction[$i],
                'feedback' => $w->feedback[$i]['text'],
            ];
        }
        $subs[] = ['key' => $key, 'qtype' => $w->qtype, 'defaultmark' => (float) $w->defaultmark, 'answers' => $answers];
    }
    $questions[] = [
        'name' => trim((string) $q->name->text),
        'category' => $category,
        'defaultmark' => (float) $qo->defaultmark,
        'text' => $qo->questiontext['text'],
        'subquestions' => $subs,
        'errors' => $errors,
    ];
}
echo json_encode(['validated' => function_exists('qtype_multianswer_validate_question'), 'questions' => $questions],
    JSON_UNESCAPED_UNICODE | JSON_PRETTY_PRINT), "\n";
