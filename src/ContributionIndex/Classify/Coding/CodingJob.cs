using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.IO;

namespace ContributionIndex.Classify.Coding;

/// <summary>One description to code, with where it came from.</summary>
/// <param name="Line">1-based physical line of the row in the input file.</param>
/// <param name="Fields">All fields of the row, in header order (copied to the output).</param>
/// <param name="Text">The description.</param>
/// <param name="Language">The language code from the language column, or empty.</param>
/// <param name="Problem">Why the reader could not read the row cleanly (ragged row, stray quote), or null; such rows are rejected, not coded.</param>
public sealed record CodingInputRow(long Line, IReadOnlyList<string> Fields, string Text, string Language, string? Problem = null)
{
    /// <summary>The Forum direction from the direction column (for example <c>health</c>), or empty; the coder uses it as evidence for the goals and the ISCO group.</summary>
    public string Direction { get; init; } = string.Empty;
}

/// <summary>A reviewer's correction of one queued row.</summary>
/// <param name="Line">The input line the correction applies to.</param>
/// <param name="Text">The description as queued (checked against the input, so a queue is never applied to another file).</param>
/// <param name="IscoCode">The corrected ISCO-08 code.</param>
/// <param name="SdgGoals">The corrected goals.</param>
public sealed record ReviewedCoding(long Line, string Text, string IscoCode, IReadOnlyList<int> SdgGoals);

/// <summary>Counts of a coding run.</summary>
/// <param name="Rows">Rows read.</param>
/// <param name="Coded">Rows coded by the model and not flagged.</param>
/// <param name="Queued">Rows flagged for review and written to the queue.</param>
/// <param name="Reviewed">Rows whose codes came from the reviewed queue.</param>
/// <param name="Rejected">Rows the reader could not read cleanly, written with their reasons to the rejected file (Rows = Coded + Queued + Reviewed + Rejected).</param>
public sealed record CodingRunSummary(long Rows, long Coded, long Queued, long Reviewed, long Rejected);

/// <summary>Codes a table of descriptions: writes the table with the code columns added and a review queue for uncertain rows.</summary>
public static class CodingJob
{
    /// <summary>The columns added to each output row, in order.</summary>
    public static IReadOnlyList<string> AddedColumns { get; } = ["isco_code", "isco_confidence", "isco_submajor", "isco_submajor_confidence", "sdg_goals", "sdg_confidence", "needs_review"];

    /// <summary>The columns of the review queue; a reviewer corrects isco_code and sdg_goals and gives the file back with --reviewed.</summary>
    /// <remarks><c>isco_candidates</c> lists the three most probable ISCO groups with their titles in the answer's language (the language column, or guessed from the letters) and probabilities.</remarks>
    public static IReadOnlyList<string> QueueColumns { get; } = ["line", "language", "text", "isco_code", "isco_confidence", "sdg_goals", "sdg_confidence", "isco_candidates"];

    /// <summary>The review-queue path for an output path: FILE.csv → FILE.review.csv in the same directory.</summary>
    public static string QueuePath(string outputPath) =>
        Path.Combine(Path.GetDirectoryName(outputPath) ?? string.Empty, Path.GetFileNameWithoutExtension(outputPath) + ".review.csv");

    /// <summary>The rejected-rows path for an output path: FILE.csv → FILE.rejected.csv in the same directory.</summary>
    public static string RejectedPath(string outputPath) =>
        Path.Combine(Path.GetDirectoryName(outputPath) ?? string.Empty, Path.GetFileNameWithoutExtension(outputPath) + ".rejected.csv");

    /// <summary>Codes every row and writes the output and the queue atomically; reviewed corrections override the model.</summary>
    public static CodingRunSummary Run(IReadOnlyList<string> header, IReadOnlyList<CodingInputRow> rows, ActivityCoder coder,
        string outputPath, IReadOnlyDictionary<long, ReviewedCoding>? reviewed = null, string inputName = "input")
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(coder);
        reviewed ??= new Dictionary<long, ReviewedCoding>();
        foreach (var added in AddedColumns)
            if (header.Any(h => string.Equals(h.Trim(), added, StringComparison.OrdinalIgnoreCase)))
                throw new InputDataException(SourceLocation.OfFile(inputName), $"the input already has a column '{added}', which the coder adds.", "Rename that column in the input (for example to reference_" + added + ").");
        var texts = rows.Select(r => (string?)r.Text).ToArray();
        var predictions = rows.Any(r => r.Direction.Length > 0) ? coder.PredictMany(texts, [.. rows.Select(r => (string?)r.Direction)]) : coder.PredictMany(texts);
        var output = new StringBuilder();
        var queue = new StringBuilder();
        var rejected = new StringBuilder();
        WriteRecord(output, header.Concat(AddedColumns));
        WriteRecord(queue, QueueColumns);
        WriteRecord(rejected, ["line", "reason", "text"]);
        long coded = 0, queued = 0, fromReview = 0, rejectedRows = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Problem is not null)
            {
                rejectedRows++;
                WriteRecord(rejected, [row.Line.ToString(CultureInfo.InvariantCulture), row.Problem, row.Text]);
                continue;
            }

            string isco, iscoConfidence, subMajor, subMajorConfidence, goals, sdgConfidence;
            bool needsReview;
            if (reviewed.TryGetValue(row.Line, out var correction))
            {
                // The queue holds the text as written, with the apostrophe of the formula guard (CsvText.Guard).
                if (!string.Equals(correction.Text.Trim(), row.Text.Trim(), StringComparison.Ordinal)
                    && !string.Equals(correction.Text.Trim(), CsvText.Guard(row.Text).Trim(), StringComparison.Ordinal))
                    throw new InputDataException(new SourceLocation(inputName, row.Line, 0),
                        $"the reviewed queue has another description for this line ('{Shorten(correction.Text)}').", "Give the reviewed queue that was written for this input file.");
                (isco, iscoConfidence, goals, sdgConfidence, needsReview) = (correction.IscoCode, "1", Goals(correction.SdgGoals), "1", false);
                (subMajor, subMajorConfidence) = correction.IscoCode.Length >= 2 ? (correction.IscoCode[..2], "1") : ("", "");
                fromReview++;
            }
            else
            {
                var p = predictions[i];
                (isco, iscoConfidence, goals, sdgConfidence, needsReview) =
                    (p.IscoCode, Number(p.IscoConfidence), Goals(p.SdgGoals), Number(p.SdgConfidence), p.NeedsReview);
                (subMajor, subMajorConfidence) = p.IscoSubMajorCode.Length > 0 ? (p.IscoSubMajorCode, Number(p.IscoSubMajorConfidence)) : ("", "");
                if (needsReview)
                {
                    queued++;
                    WriteRecord(queue, [row.Line.ToString(CultureInfo.InvariantCulture), row.Language, row.Text, isco, iscoConfidence, goals, sdgConfidence,
                        IscoLabels.Candidates(p.IscoCandidates, IscoLabels.LanguageOf(row.Text, row.Language))]);
                }
                else
                {
                    coded++;
                }
            }

            WriteRecord(output, row.Fields.Concat([isco, iscoConfidence, subMajor, subMajorConfidence, goals, sdgConfidence, needsReview ? "true" : "false"]));
        }

        AtomicFile.WriteAllText(outputPath, output.ToString());
        AtomicFile.WriteAllText(QueuePath(outputPath), queue.ToString());
        AtomicFile.WriteAllText(RejectedPath(outputPath), rejected.ToString());
        return new CodingRunSummary(rows.Count, coded, queued, fromReview, rejectedRows);
    }

    /// <summary>Reads the table to code with the shared tabular reader (CSV in UTF-8/Windows-1251 with any delimiter, or XLSX): its header and, per row, the description and the language.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CodingInputRow> Rows) ReadInput(string path, string textColumn, string? languageColumn) =>
        ReadInput(path, textColumn, languageColumn, null);

    /// <summary>Reads the table to code, as <see cref="ReadInput(string, string, string?)"/>, and the Forum direction of each row from <paramref name="directionColumn"/> (null: none).</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<CodingInputRow> Rows) ReadInput(string path, string textColumn, string? languageColumn, string? directionColumn)
    {
        // Numbers are not read, so the decimal separator is declared rather than detected from a text-only sample.
        using var reader = TabularFile.Open(path, TabularOptions.Default with { Decimal = "." });
        var header = reader.Headers.ToArray();
        var text = IndexOf(reader, textColumn, path, "--text-column");
        var language = languageColumn is null ? -1 : IndexOf(reader, languageColumn, path, "--lang-column");
        var direction = directionColumn is null ? -1 : IndexOf(reader, directionColumn, path, "--direction-column");
        var rows = new List<CodingInputRow>();
        foreach (var row in reader.ReadRows())
        {
            var fields = header.Select((_, i) => row[i]).ToArray();
            var problem = row.Problems.Count == 0
                ? null
                : string.Join("; ", row.Problems.Select(p => string.Create(CultureInfo.InvariantCulture, $"column {p.Column}: {p.Reason} ({p.Rule})")));
            rows.Add(new CodingInputRow(row.Line, fields, row[text], language >= 0 ? row[language].Trim() : string.Empty, problem)
            {
                Direction = direction >= 0 ? row[direction].Trim() : string.Empty,
            });
        }

        return (header, rows);
    }

    private static int IndexOf(TabularReader reader, string name, string path, string option)
    {
        var index = reader.FindColumn(name);
        return index >= 0 ? index : throw new InputDataException(SourceLocation.OfFile(path),
            $"the header has no column '{name}'.", $"Give {option} one of: {MessageText.Excerpt(string.Join(", ", reader.Headers), 3 * MessageText.MaxExcerptLength)}.");
    }

    /// <summary>Reads a reviewed queue (the columns of <see cref="QueueColumns"/>; line, text, isco_code and sdg_goals are used).</summary>
    public static IReadOnlyDictionary<long, ReviewedCoding> ReadReviewed(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var records = DelimitedRecords.Read(reader, ',', quoting: true).GetEnumerator();
        if (!records.MoveNext())
            throw new InputDataException(SourceLocation.OfFile(path), "the reviewed queue is empty.", "Give the review queue written by 'contrib classify', with corrected isco_code and sdg_goals.");
        var header = records.Current.Fields.Select(h => h.Trim()).ToArray();
        int Column(string name) => Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i
            : throw new InputDataException(SourceLocation.OfFile(path), $"the reviewed queue has no '{name}' column.", "Keep the header line of the queue written by 'contrib classify'.");
        int line = Column("line"), text = Column("text"), isco = Column("isco_code"), goals = Column("sdg_goals");
        var result = new Dictionary<long, ReviewedCoding>();
        while (records.MoveNext())
        {
            var (fileLine, fields) = records.Current;
            string Field(int index) => index < fields.Length ? fields[index].Trim() : string.Empty;
            if (!long.TryParse(Field(line), NumberStyles.None, CultureInfo.InvariantCulture, out var inputLine) || inputLine < 1)
                throw new InputDataException(new SourceLocation(path, fileLine, line + 1, "line"), $"'{Field(line)}' is not an input line number.", "Keep the line column as written by 'contrib classify'.");
            var code = Field(isco);
            if (code.Length == 0 || code[0] is < '1' or > '9' || !code.All(char.IsAsciiDigit))
                throw new InputDataException(new SourceLocation(path, fileLine, isco + 1, "isco_code"), $"'{code}' is not an ISCO-08 code of a civilian major group.", "Write the major group 1–9 or a longer ISCO-08 code that starts with it.");
            var parsedGoals = LabelledDataFile.ParseGoals(Field(goals), new SourceLocation(path, fileLine, goals + 1, "sdg_goals"));
            if (!result.TryAdd(inputLine, new ReviewedCoding(inputLine, Field(text), code, parsedGoals)))
                throw new InputDataException(new SourceLocation(path, fileLine, line + 1, "line"), $"input line {inputLine} is corrected twice.", "Keep one row per input line.");
        }

        return result;
    }

    /// <summary>Writes one CSV record by the CSV text policy (<see cref="CsvText"/>).</summary>
    private static void WriteRecord(StringBuilder output, IEnumerable<string> fields) => CsvText.AppendRecord(output, fields.Select(CsvText.Text));

    private static string Goals(IReadOnlyList<int> goals) => string.Join(';', goals.Select(g => g.ToString(CultureInfo.InvariantCulture)));

    private static string Number(double value) => CsvText.Number(value);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
