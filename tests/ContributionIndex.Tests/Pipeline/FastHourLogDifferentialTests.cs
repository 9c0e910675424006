using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Synthesis;
using ContributionIndex.Tests.Samples;
using ClosedXML.Excel;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// The hour-log fast path (FastHourLogRun in Pipeline/FastHourLog, methodology/scale.md §9) against the general path: the same study is
/// run twice, with the fast path allowed and forbidden, and every output file must have the same bytes (or both runs
/// must throw the same exception type with the same message). Each case also checks which path the first run took.
/// </summary>
public class FastHourLogDifferentialTests
{
    static FastHourLogDifferentialTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private sealed record Outcome(ValuationResult? Result, Exception? Error, bool TookFastPath, string? Directory);

    private static Outcome RunOnce(Study study, string? output, bool allowFastPath, RecordOutput records)
    {
        ValuationRun.LastRunTookFastPath = false;
        try
        {
            var result = ValuationRun.Run(study, new StudyRecordSource(study), output, records, allowFastPath);
            return new Outcome(result, null, ValuationRun.LastRunTookFastPath, output);
        }
        catch (ContributionIndexException error)
        {
            return new Outcome(null, error, ValuationRun.LastRunTookFastPath, output);
        }
    }

    /// <summary>
    /// Runs both paths and asserts the same files with the same bytes, or the same exception, for a run with only the
    /// aggregates and for a run that also writes valued_records.csv (once, without a directory, for validation);
    /// returns the fast aggregates-only run.
    /// </summary>
    private static Outcome Compare(string studyPath, bool? expectFast, bool validateOnly = false)
    {
        if (validateOnly) return Compare(studyPath, expectFast, validateOnly: true, RecordOutput.None);
        Compare(studyPath, expectFast, validateOnly: false, RecordOutput.Csv);
        return Compare(studyPath, expectFast, validateOnly: false, RecordOutput.None);
    }

    private static Outcome Compare(string studyPath, bool? expectFast, bool validateOnly, RecordOutput records)
    {
        var study = StudyLoader.Load(studyPath);
        var folder = Path.GetDirectoryName(studyPath)!;
        var suffix = records == RecordOutput.None ? "" : "-records";
        var fastDir = validateOnly ? null : Path.Combine(folder, "out-fast" + suffix);
        var slowDir = validateOnly ? null : Path.Combine(folder, "out-general" + suffix);
        var fast = RunOnce(study, fastDir, allowFastPath: true, records);
        var general = RunOnce(study, slowDir, allowFastPath: false, records);
        Assert.False(general.TookFastPath);
        if (expectFast is { } expected && fast.Error is null) Assert.Equal(expected, fast.TookFastPath);

        Assert.Equal(general.Error?.GetType(), fast.Error?.GetType());
        // Messages may name the output directory (quarantine.csv), the only thing that differs between the runs.
        var fastMessage = fastDir is null ? fast.Error?.Message : fast.Error?.Message.Replace(fastDir, slowDir, StringComparison.Ordinal);
        Assert.Equal(general.Error?.Message, fastMessage);
        if (fast.Error is RejectionToleranceExceededException f && general.Error is RejectionToleranceExceededException g)
        {
            Assert.Equal(g.Read, f.Read);
            Assert.Equal(g.Rejected, f.Rejected);
        }

        if (fast.Result is { } a && general.Result is { } b)
        {
            Assert.Equal(Describe(b), Describe(a));
            Assert.Equal(b.FirstRejections, a.FirstRejections);
        }

        if (!validateOnly)
        {
            var fastFiles = Files(fastDir!);
            var generalFiles = Files(slowDir!);
            Assert.Equal(generalFiles, fastFiles);
            foreach (var name in generalFiles)
                Assert.True(File.ReadAllBytes(Path.Combine(slowDir!, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fastDir!, name))), name + " differs");
            if (fast.Error is null) Assert.Contains("summary.csv", fastFiles);
            if (fast.Error is null && records == RecordOutput.Csv) Assert.Contains("valued_records.csv", fastFiles);
        }

        return fast;
    }

    private static string[] Files(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(directory, p).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];

    private static string Describe(ValuationResult result) => string.Join("\n", result.Inputs.Select(i => string.Create(CultureInfo.InvariantCulture,
        $"{i.Input} read={i.Read} ingest={i.RejectedAtIngest} checks={i.RejectedByChecks} valued={i.Valued} excluded={string.Join(";", i.Excluded.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal).Select(e => $"{e.Key}:{e.Value}"))}")));

    // ---- building the logs ----

    private sealed class Log
    {
        public required string Folder { get; init; }
        public required string StudyPath { get; init; }
        public required string DataPath { get; init; }
        public required string Header { get; init; }
        public required List<string> Rows { get; init; }

        /// <summary>A data row of the synthetic log with some fields replaced (columns as in <see cref="HourLogSynthesizer.Columns"/>).</summary>
        public string Row(int template, params (string Column, string Value)[] changes)
        {
            var fields = Rows[template].Split(',');
            foreach (var (column, value) in changes) fields[Index(column)] = value;
            return string.Join(',', fields);
        }

        public static int Index(string column) => HourLogSynthesizer.Columns.ToList().IndexOf(column);

        public void EditStudy(params (string From, string To)[] replacements)
        {
            var text = File.ReadAllText(StudyPath);
            foreach (var (from, to) in replacements)
            {
                Assert.Contains(from, text, StringComparison.Ordinal);
                text = text.Replace(from, to, StringComparison.Ordinal);
            }

            File.WriteAllText(StudyPath, text);
        }

        public void WriteData(IEnumerable<string> lines, Encoding? encoding = null, string newLine = "\n", bool bom = false)
        {
            var text = string.Join(newLine, lines) + newLine;
            var bytes = (encoding ?? new UTF8Encoding(false)).GetBytes(text);
            if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
            File.WriteAllBytes(DataPath, bytes);
        }
    }

    /// <summary>
    /// A synthetic log and its study as <c>contrib synth</c> writes them; unless <paramref name="asWritten"/>, the study is
    /// tightened as in ValuationRunIndependentTests so that the person-level rules split the persons: a 5-day period caps
    /// a person at 120 h, and 70 volunteer hours are needed to count (persons log about 30–165 h).
    /// </summary>
    private static Log Synth(int rows, ulong seed = 7, double tolerance = 1, bool asWritten = false)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var synth = HourLogSynthesizer.Write(rows, folder, seed);
        var lines = File.ReadAllLines(synth.DataPath);
        var log = new Log { Folder = folder, StudyPath = synth.StudyPath, DataPath = synth.DataPath, Header = lines[0], Rows = [.. lines.Skip(1)] };
        log.EditStudy(("rejection_tolerance: 0.01", "rejection_tolerance: " + tolerance.ToString("R", CultureInfo.InvariantCulture)));
        if (!asWritten) log.EditStudy(("length_days: 365", "length_days: 5"), ("minimum_hours: 1\n", "minimum_hours: 70\n"));
        return log;
    }

    /// <summary>Rows of every irregular kind the fast path hands to the general mapping, and a few regular ones it keeps.</summary>
    private static List<string> IrregularRows(Log log)
    {
        var t = 0;
        var person = log.Rows[t].Split(',')[Log.Index("volunteer_id")];
        var fields = log.Rows[t].Split(',');
        var quoted = string.Join(',', fields.Select((f, i) => i % 2 == 0 ? "\"" + f + "\"" : f));
        return
        [
            quoted,                                                                  // quoted fields (valid)
            log.Row(t, ("region", "\"a, b\"")),                                      // quoted field with a comma
            log.Row(t, ("volunteer_id", "\"" + person + "\"x")),                     // text after the closing quote
            log.Row(t) + ",extra",                                                   // ragged: one field too many
            string.Join(',', fields.Take(fields.Length - 1)),                        // ragged: one field too few
            "",                                                                      // blank line
            log.Row(t, ("hours", "-2")),                                             // negative hours
            log.Row(t, ("hours", "abc")),                                            // not a number
            log.Row(t, ("hours", "")),                                               // empty hours
            log.Row(t, ("task_isco", "99999")),                                      // invalid ISCO
            log.Row(t, ("task_isco", "x1")),
            log.Row(t, ("sdg", "18")),                                               // invalid SDG
            log.Row(t, ("sdg", "goal")),
            log.Row(t, ("direction", "astrology")),                                  // unmapped direction code
            log.Row(t, ("country", "FR")),                                           // unknown country
            log.Row(t, ("country", "")),                                             // empty country, multi-country study
            log.Row(t, ("volunteer_id", " " + person)),                              // spaces around the person id
            log.Row(t, ("volunteer_id", person + " ")),
            log.Row(t, ("volunteer_id", "")),                                        // empty person id
            log.Row(t, ("age", "10")),                                               // below the minimum age (exclusion)
            log.Row(t, ("age", "-3")),
            log.Row(t, ("volunteer_id", "short-hours"), ("hours", "0.25")),          // a person below the minimum hours
            log.Row(t, ("volunteer_id", "a-person-id-that-is-longer-than-24-bytes-1")),
            log.Row(t, ("volunteer_id", "a-person-id-that-is-longer-than-24-bytes-2")),
            log.Row(t, ("volunteer_id", "a-person-id-that-is-longer-than-24-bytes-1"), ("hours", "900")),
            log.Row(t, ("volunteer_id", "Иванова-Петрова-Анна-Сергеевна")),          // Cyrillic (two bytes a letter, > 24 bytes)
            log.Row(t, ("volunteer_id", "Ким")),
            log.Row(t, ("volunteer_id", "Ким"), ("hours", "5000")),                  // above any reference period
            log.Row(t, ("hours", "1e3")),
            log.Row(t, ("hours", "0")),
            log.Row(t, ("sex", "X")),
            log.Row(t, ("date", "not-a-date")),
            log.Row(t, ("date", "2023-02-30")),
            log.Row(t, ("hours", "-0")),                                             // negative zero
            log.Row(t, ("hours", "+2")),
            log.Row(t, ("hours", " 2")),
            log.Row(t, ("hours", "2 ")),
            log.Row(t, ("hours", ".5")),
            log.Row(t, ("hours", "5.")),
            log.Row(t, ("hours", "NaN")),
            log.Row(t, ("hours", "Infinity")),
            log.Row(t, ("hours", "1,5")),
            log.Row(t, ("hours", "0x10")),
            log.Row(t, ("hours", "2.50000000000000001")),
            log.Row(t, ("volunteer_id", "overflow"), ("hours", "1e308")),          // a person whose sum overflows
            log.Row(t, ("volunteer_id", "overflow"), ("hours", "1e308")),
            log.Row(t, ("task_isco", " 3422")),
            log.Row(t, ("task_isco", "0110")),
            log.Row(t, ("task_isco", "01")),
            log.Row(t, ("task_isco", "0")),
            log.Row(t, ("task_isco", "")),
            log.Row(t, ("age", "15.0")),
            log.Row(t, ("age", "")),
            log.Row(t, ("age", "abc")),
            log.Row(t, ("age", " 30")),
            log.Row(t, ("age", "200")),
            log.Row(t, ("country", "kz")),
            log.Row(t, ("country", " KZ")),
            log.Row(t, ("sdg", "01")),
            log.Row(t, ("sdg", "0")),
            log.Row(t, ("sdg", "")),
            log.Row(t, ("sdg", " 4")),
            log.Row(t, ("direction", "")),
            log.Row(t, ("direction", "Education")),
            log.Row(t, ("sex", "")),
            log.Row(t, ("sex", "m")),
            log.Row(t, ("volunteer_id", "in ner")),                                  // a space inside the id
            log.Row(t, ("volunteer_id", "tab\tid")),
            log.Row(t, ("volunteer_id", "=1+1")),
            string.Concat(Enumerable.Repeat(",", HourLogSynthesizer.Columns.Count - 1)),  // every field empty
            log.Header,                                                              // the header again as data
            // Persons on the edges of the person-level rules (70 h minimum, 120 h cap in the tightened study) whose
            // total needs their irregular rows: wrong sums or person keys on either path change who counts.
            log.Row(t, ("volunteer_id", "edge-a"), ("hours", "30")),
            log.Row(t, ("volunteer_id", "edge-a"), ("hours", "30")),
            log.Row(t, ("volunteer_id", "\"edge-a\""), ("hours", "10")),            // quoted: exactly 70 h
            log.Row(t, ("volunteer_id", "edge-b"), ("hours", "60")),
            log.Row(t, ("volunteer_id", "edge-b"), ("hours", "60")),
            log.Row(t, ("volunteer_id", "\"edge-b\""), ("hours", "0.5")),           // 120.5 h: above the cap
            log.Row(t, ("volunteer_id", "\"edge-c\""), ("hours", "40")),            // only irregular rows, 75 h
            log.Row(t, ("volunteer_id", "\"edge-c\""), ("hours", "35")),
            log.Row(t, ("volunteer_id", "edge-d"), ("hours", "35")),
            log.Row(t, ("volunteer_id", " edge-d "), ("hours", "35")),                // 70 h only if the spaces are trimmed
            log.Row(t, ("volunteer_id", "edge-e"), ("hours", "60")),
            log.Row(t, ("volunteer_id", "edge-e"), ("hours", "\"15\"")),              // quoted hours: 75 h
            log.Row(t, ("volunteer_id", "edge-f"), ("hours", "60")),
            log.Row(t, ("volunteer_id", "edge-f"), ("hours", "15"), ("age", "10")),  // excluded by age: its hours still count?
            log.Row(t, ("volunteer_id", "edge-g"), ("hours", "69")),
            log.Row(t, ("volunteer_id", "edge-g"), ("hours", "1"), ("sdg", "18")),    // rejected row: 69 h or 70 h
        ];
    }

    /// <summary>Interleaves <paramref name="extra"/> through the log (one every few rows) so irregular rows meet regular ones of the same persons.</summary>
    private static List<string> Interleave(List<string> rows, List<string> extra)
    {
        var result = new List<string>(rows.Count + extra.Count);
        var step = Math.Max(1, rows.Count / (extra.Count + 1));
        var next = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % step == step - 1 && next < extra.Count) result.Add(extra[next++]);
            result.Add(rows[i]);
        }

        result.AddRange(extra.Skip(next));
        return result;
    }

    // ---- eligible cases ----

    [Fact]
    public void Clean_synthetic_log()
    {
        var log = Synth(3000, asWritten: true);
        Assert.True(Compare(log.StudyPath, expectFast: true).Result!.Inputs[0].Valued > 0);
    }

    [Fact]
    public void Clean_synthetic_log_of_50000_rows()
    {
        var log = Synth(50_000, seed: 3, tolerance: 0.01, asWritten: true);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.Equal(50_000, fast.Result!.Inputs[0].Read);
    }

    [Fact]
    public void Irregular_rows_of_every_kind()
    {
        var log = Synth(3000);
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.True(fast.Result!.Inputs[0].Rejected >= 10);
    }

    [Fact]
    public void Irregular_rows_through_a_log_of_50000_rows()
    {
        // Many irregular rows spread over the parallel parser's batches, and persons met before and after them.
        var log = Synth(50_000, seed: 5);
        var irregular = Enumerable.Range(0, 20).SelectMany(_ => IrregularRows(log)).ToList();
        log.WriteData([log.Header, .. Interleave(log.Rows, irregular)]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.Equal(50_000 + irregular.Count(r => r.Length > 0), fast.Result!.Inputs[0].Read);
    }

    [Fact]
    public void Hours_that_are_not_exact_in_binary()
    {
        // The synthetic hours (1, 1.5, 2, …) add exactly; tenths and thousandths do not, so any change in the order of the
        // person and country sums between the paths shows in the last digit.
        var log = Synth(20_000, seed: 9, asWritten: true);
        var hours = Log.Index("hours");
        var rows = log.Rows.Select((r, i) =>
        {
            var f = r.Split(',');
            var h = double.Parse(f[hours], CultureInfo.InvariantCulture);
            if (h >= 0) f[hours] = (h + (0.1 * (i % 7)) + (0.001 * (i % 13)) + 1e-9).ToString("R", CultureInfo.InvariantCulture);
            return string.Join(',', f);
        }).ToList();
        log.EditStudy(("length_days: 365", "length_days: 4"), ("minimum_hours: 1", "minimum_hours: 30.3"));
        log.WriteData([log.Header, .. Interleave(rows, IrregularRows(log))]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.True(fast.Result!.Inputs[0].Valued > 0);
    }

    [Fact]
    public void Irregular_rows_with_a_byte_order_mark_and_crlf()
    {
        var log = Synth(2000);
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))], newLine: "\r\n", bom: true);
        Compare(log.StudyPath, expectFast: true);
    }

    [Fact]
    public void Irregular_rows_with_a_short_reference_period_and_minimum_hours()
    {
        // Three days cap a person at 72 h and 40 h are needed to count: persons below, between and above.
        var log = Synth(3000, asWritten: true);
        log.EditStudy(("length_days: 365", "length_days: 3"), ("minimum_hours: 1\n", "minimum_hours: 40\n"));
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.True(fast.Result!.Inputs[0].Excluded.Values.Sum() > 0);
    }

    [Fact]
    public void Input_with_its_own_annualisation_factor()
    {
        var log = Synth(3000, asWritten: true);
        log.EditStudy(("length_days: 365", "length_days: 7"), ("    format: csv\n", "    format: csv\n    annualisation_factor: 52\n"), ("minimum_hours: 1\n", "minimum_hours: 50\n"));
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        Compare(log.StudyPath, expectFast: true);
    }

    [Fact]
    public void Volunteered_as_a_column()
    {
        var log = Synth(2000);
        log.EditStudy(("      age: age\n", "      age: age\n      volunteered: vol\n"), ("      volunteered: \"true\"\n", ""));
        var rows = log.Rows.Select((r, i) => r + "," + (i % 97 == 5 ? "false" : i % 89 == 3 ? "" : i % 83 == 1 ? "maybe" : "true")).ToList();
        var extra = IrregularRows(log).Where(r => r.Length > 0).Select(r => r + ",true").ToList();
        extra.Add(log.Row(1) + ",false");
        extra.Add(log.Row(2, ("hours", "")) + ",false");
        log.WriteData([log.Header + ",vol", .. Interleave(rows, extra)]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.True(fast.Result!.Inputs[0].Rejected > 0);
    }

    [Fact]
    public void Windows_1251_with_semicolons_and_decimal_commas()
    {
        var log = Synth(2000);
        log.EditStudy(("encoding: utf-8", "encoding: windows-1251"), ("delimiter: \",\"", "delimiter: \";\""), ("decimal: \".\"", "decimal: \",\""));
        var hours = Log.Index("hours");
        string Convert(string row)
        {
            var f = row.Split(',');
            if (f.Length > hours) f[hours] = f[hours].Replace('.', ',');
            if (f.Length > 1 && f[1].StartsWith("KZ", StringComparison.Ordinal)) f[1] = "Волонтёр-" + f[1];
            return string.Join(';', f);
        }

        var rows = Interleave(log.Rows, IrregularRows(log)).Select(Convert).ToList();
        rows.Add(Convert(log.Row(3, ("hours", "2,5"))).Replace("2,5", "\"2,5\"", StringComparison.Ordinal));
        rows.Add(Convert(log.Row(3)).Replace(";", ";;", StringComparison.Ordinal));
        log.WriteData([log.Header.Replace(',', ';'), .. rows], Encoding.GetEncoding(1251));
        Compare(log.StudyPath, expectFast: true);
    }

    [Fact]
    public void Decimal_detected_automatically()
    {
        var log = Synth(3000);
        log.EditStudy(("decimal: \".\"", "decimal: auto"));
        // Irregular rows first, among the rows the detection buffers, and again through the log.
        log.WriteData([log.Header, .. IrregularRows(log), .. Interleave(log.Rows, IrregularRows(log))]);
        Compare(log.StudyPath, expectFast: true);
    }

    [Fact]
    public void Encoding_and_delimiter_detected_automatically()
    {
        var log = Synth(2000);
        log.EditStudy(("encoding: utf-8", "encoding: auto"), ("delimiter: \",\"", "delimiter: auto"), ("decimal: \".\"", "decimal: auto"));
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))], bom: true);
        Compare(log.StudyPath, expectFast: null);
    }

    [Fact]
    public void Constant_country_in_a_single_country_study()
    {
        var log = Synth(3000);
        var country = Log.Index("country");
        var kz = log.Rows.Where(r => r.Split(',')[country] == "KZ").ToList();
        Assert.NotEmpty(kz);
        log.EditStudy(("      country: country\n", ""), ("    constants:\n", "    constants:\n      country: KZ\n"));
        var text = File.ReadAllText(log.StudyPath);
        var countries = text.IndexOf("countries:\n", StringComparison.Ordinal);
        var checks = text.IndexOf("checks:\n", StringComparison.Ordinal);
        var others = text.IndexOf("  - code: ", text.IndexOf("  - code: KZ", StringComparison.Ordinal) + 5, StringComparison.Ordinal);
        var kzStart = text.IndexOf("  - code: KZ", StringComparison.Ordinal);
        var kzEnd = others > kzStart ? others : checks;
        File.WriteAllText(log.StudyPath, text[..(countries + "countries:\n".Length)] + text[kzStart..kzEnd] + text[checks..]);
        var irregular = IrregularRows(log).Select(r => r.Replace(",KG,", ",KZ,", StringComparison.Ordinal)).ToList();
        log.WriteData([log.Header, .. Interleave(kz, irregular)]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.Contains(fast.Result!.Summaries, s => s.Country == "KZ");
        Assert.DoesNotContain(fast.Result!.Summaries, s => s.Country == "KG");
    }

    [Fact]
    public void Two_hour_log_inputs_keep_persons_per_input()
    {
        var log = Synth(2000);
        var text = File.ReadAllText(log.StudyPath);
        var start = text.IndexOf("  - name: platform", StringComparison.Ordinal);
        var end = text.IndexOf("valuation:", StringComparison.Ordinal);
        var second = text[start..end].Replace("name: platform", "name: second", StringComparison.Ordinal).Replace("path: hours.csv", "path: hours2.csv", StringComparison.Ordinal);
        File.WriteAllText(log.StudyPath, text[..end] + second + text[end..]);
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        // The same person ids in the second file: each input's persons are its own (caps and minimum hours per input).
        File.WriteAllLines(Path.Combine(log.Folder, "hours2.csv"), [log.Header, .. log.Rows.Take(1500), .. IrregularRows(log)]);
        var fast = Compare(log.StudyPath, expectFast: true);
        Assert.Equal(2, fast.Result!.Inputs.Count);
    }

    [Fact]
    public void Validate_gives_the_same_counts_and_first_rejections()
    {
        var log = Synth(3000);
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        var fast = Compare(log.StudyPath, expectFast: true, validateOnly: true);
        Assert.NotEmpty(fast.Result!.FirstRejections);
    }

    [Fact]
    public void Rejection_tolerance_exceeded()
    {
        var log = Synth(2000, tolerance: 0.001);
        log.WriteData([log.Header, .. Interleave(log.Rows, IrregularRows(log))]);
        var fast = Compare(log.StudyPath, expectFast: null);
        Assert.IsType<RejectionToleranceExceededException>(fast.Error);
        Assert.True(fast.TookFastPath);
        Assert.True(File.Exists(Path.Combine(fast.Directory!, "quarantine.csv")));
    }

    // ---- errors ----

    public static TheoryData<string> ErrorCases => ["invalid-utf8", "unterminated-quote", "header-only", "missing-column"];

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Errors_have_the_same_message_on_both_paths(string kind)
    {
        var log = Synth(2000);
        switch (kind)
        {
            case "invalid-utf8":
                var lines = Interleave(log.Rows, [log.Row(0, ("region", "bad\u0001"))]);
                var bytes = Encoding.UTF8.GetBytes(string.Join('\n', [log.Header, .. lines]) + "\n");
                var at = Array.IndexOf(bytes, (byte)1);
                bytes[at] = 0xC3;
                bytes[at + 1] = 0x28;
                File.WriteAllBytes(log.DataPath, bytes);
                break;
            case "unterminated-quote":
                log.WriteData([log.Header, .. log.Rows, log.Row(0, ("region", "\"never closed"))]);
                break;
            case "header-only":
                log.WriteData([log.Header]);
                break;
            case "missing-column":
                log.WriteData([log.Header.Replace("task_isco", "task", StringComparison.Ordinal), .. log.Rows]);
                break;
        }

        var fast = Compare(log.StudyPath, expectFast: null);
        Assert.NotNull(fast.Error);
    }

    // ---- ineligible studies ----

    [Fact]
    public void Imputed_policy_does_not_take_the_fast_path()
    {
        var log = Synth(2000);
        log.EditStudy(("opportunity_cost_policy: share-of-average", "opportunity_cost_policy: imputed"));
        var fast = Compare(log.StudyPath, expectFast: false);
        Assert.False(fast.TookFastPath);
    }

    [Fact]
    public void Survey_input_does_not_take_the_fast_path()
    {
        var log = Synth(2000);
        log.EditStudy(("kind: hour-log", "kind: survey"), ("      age: age\n", "      age: age\n      weight: age\n"));
        var fast = Compare(log.StudyPath, expectFast: false);
        Assert.False(fast.TookFastPath);
    }

    [Fact]
    public void Stipend_mapped_does_not_take_the_fast_path()
    {
        var log = Synth(2000);
        log.EditStudy(("      age: age\n", "      age: age\n      stipend: stipend\n"));
        log.WriteData([log.Header + ",stipend", .. log.Rows.Select((r, i) => r + (i % 50 == 0 ? ",1000" : ",0"))]);
        var fast = Compare(log.StudyPath, expectFast: false);
        Assert.False(fast.TookFastPath);
    }

    [Fact]
    public void Xlsx_input_does_not_take_the_fast_path()
    {
        var log = Synth(500);
        var path = Path.Combine(log.Folder, "hours.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("data");
            string[][] table = [log.Header.Split(','), .. log.Rows.Select(r => r.Split(','))];
            for (var r = 0; r < table.Length; r++)
            {
                for (var c = 0; c < table[r].Length; c++)
                {
                    var cell = sheet.Cell(r + 1, c + 1);
                    if (r > 0 && table[0][c] is "hours" or "age") cell.Value = double.Parse(table[r][c], CultureInfo.InvariantCulture);
                    else cell.SetValue(table[r][c]);
                }
            }

            workbook.SaveAs(path);
        }

        log.EditStudy(("path: hours.csv", "path: hours.xlsx"), ("    format: csv\n    encoding: utf-8\n    delimiter: \",\"\n    decimal: \".\"\n", "    format: xlsx\n"));
        var fast = Compare(log.StudyPath, expectFast: false);
        Assert.False(fast.TookFastPath);
        Assert.Equal(500, fast.Result!.Inputs[0].Read);
    }

    [Fact]
    public void More_irregular_rows_than_the_fast_path_keeps_fall_back_to_the_general_path()
    {
        var log = Synth(2000);
        // 100,001 rows with a quoted field each (more than FastHourLogRun.MaxIrregularRows) and the 2,000 regular ones.
        var quoted = log.Rows.Select(r => r.Replace(",KZ,", ",\"KZ\",", StringComparison.Ordinal).Replace(",KG,", ",\"KG\",", StringComparison.Ordinal)
            .Replace(",TJ,", ",\"TJ\",", StringComparison.Ordinal).Replace(",UZ,", ",\"UZ\",", StringComparison.Ordinal)).Where(r => r.Contains('"', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(quoted);
        var irregular = Enumerable.Range(0, 100_001).Select(i => quoted[i % quoted.Count]);
        log.WriteData([log.Header, .. log.Rows, .. irregular]);
        var fast = Compare(log.StudyPath, expectFast: false);
        Assert.Equal(102_001, fast.Result!.Inputs[0].Read);
    }

    // ---- the hardening corpus as hour logs ----

    public static TheoryData<string> HardeningFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "hardening")).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (name is "corpus.csv" or "wages.csv" || !(name.EndsWith(".csv", StringComparison.Ordinal) || name.EndsWith(".tsv", StringComparison.Ordinal))) continue;
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HardeningFiles))]
    public void Hardening_corpus_file_as_an_hour_log(string name)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "TestData", "hardening");
        var folder = SampleStudies.NewTemporaryFolder();
        File.Copy(Path.Combine(source, name), Path.Combine(folder, name));
        File.Copy(Path.Combine(source, "wages.csv"), Path.Combine(folder, "wages.csv"));
        var study = File.ReadAllText(Path.Combine(source, "study.template.yaml"))
            .Replace("{{path}}", name, StringComparison.Ordinal)
            .Replace("{{options}}", "", StringComparison.Ordinal)
            .Replace("{{tolerance}}", "1", StringComparison.Ordinal)
            .Replace("kind: survey", "kind: hour-log", StringComparison.Ordinal)
            // An hour log has no sample design: its entries all weigh 1.
            .Replace("      weight: w\n      strata: strata\n      psu: psu\n", "", StringComparison.Ordinal);
        Assert.DoesNotContain("psu: psu", study, StringComparison.Ordinal);
        var studyPath = Path.Combine(folder, "study.yaml");
        File.WriteAllText(studyPath, study);
        var fast = Compare(studyPath, expectFast: null);
        Assert.True(fast.Result is not null || fast.Error is not null);
    }
}
