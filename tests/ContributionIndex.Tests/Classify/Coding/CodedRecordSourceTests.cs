using System.Globalization;
using System.Text.Json;
using ContributionIndex.Classify.Coding;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Classify.Coding;

public class CodedRecordSourceTests
{
    // One wage per ISCO major group, so a coded one-digit code finds a wage (specialist value), and 3422 for the input code.
    private const string MajorGroupWages = "isco,hourly_wage,currency,year,source\n1,11,XXX,2023,t\n2,12,XXX,2023,t\n3,13,XXX,2023,t\n3422,6,XXX,2023,t\n" +
        "4,14,XXX,2023,t\n5,15,XXX,2023,t\n6,16,XXX,2023,t\n7,17,XXX,2023,t\n8,18,XXX,2023,t\n9,19,XXX,2023,t\n";

    /// <summary>The Forum direction of the confident record (the unclear one has a free-text direction the model does not know).</summary>
    private const string ConfidentDirection = "climate_eco";

    /// <summary>A held-out description the shipped model codes with high confidence under <see cref="ConfidentDirection"/> (ISCO ≥ 0.9, SDG at or above the model's SDG threshold), and one it cannot code confidently.</summary>
    private static (string Confident, ActivityCoding ConfidentCoding, string Unclear, ActivityCoding UnclearCoding) Texts()
    {
        var coder = ActivityCoder.Default;
        var confident = CodingData.HeldOut().Select(e => e.Text)
            .First(t => coder.Predict(t, ConfidentDirection) is { IscoConfidence: >= 0.9 } p && p.SdgConfidence >= coder.SdgReviewThreshold);
        const string unclear = "qwx zzv";
        return (confident, coder.Predict(confident, ConfidentDirection), unclear, coder.Predict(unclear));
    }

    private static IngestItem Item(VolunteerRecord record) => new(record, null) { InputName = record.InputName };

    private static IngestItem[] Items(string confident, string unclear) =>
    [
        Item(Record("a", 10, "3422", weight: 10, with: r => r with { ActivityText = "=ignored, the record has a code" })),
        Item(Record("b", 5, weight: 10, with: r => r with { ActivityText = confident, Direction = ConfidentDirection })),
        Item(Record("c", 4, weight: 10, with: r => r with { ActivityText = "=" + unclear, SdgGoals = [5], Direction = "helping out" })),
        Item(Record("d", 3, weight: 10)),
    ];

    [Fact]
    public void Confident_codes_are_used_unclear_ones_go_to_review_and_the_outputs_say_which()
    {
        var (confident, confidentCoding, unclear, unclearCoding) = Texts();
        Assert.True(unclearCoding.IscoConfidence < 0.6, $"the gibberish text got confidence {unclearCoding.IscoConfidence:R}");
        var study = OneCountry(MajorGroupWages, s => s with { Coding = new CodingSpec { Enabled = true, Threshold = 0.6 } });
        var output = Path.Combine(Path.GetDirectoryName(study.SourcePath)!, "out");
        var source = CodedRecordSource.ForStudy(study, new InMemoryRecordSource(Items(confident, unclear)));
        ValuationRun.Run(study, source, output);

        var valued = File.ReadAllLines(Path.Combine(output, "valued_records.csv"));
        Assert.Equal(string.Join(",", OutputColumns.ValuedRecords) + ",isco_source", valued[0]);
        var isco = OutputColumns.ValuedRecords.ToList().IndexOf("isco");
        var level = OutputColumns.ValuedRecords.ToList().IndexOf("wage_level");
        var rows = valued.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["3422", "input"], new[] { rows[0][isco], rows[0][^1] });
        Assert.Equal([confidentCoding.IscoCode, "coder"], new[] { rows[1][isco], rows[1][^1] });
        Assert.Equal("1", rows[1][level]); // the one-digit code found its major-group wage
        Assert.Equal(["", "review"], new[] { rows[2][isco], rows[2][^1] });
        Assert.Equal("0", rows[2][level]); // below the threshold: generalist fallback
        Assert.Equal(["", ""], new[] { rows[3][isco], rows[3][^1] });

        var review = File.ReadAllLines(Path.Combine(output, CodedRecordSource.ReviewFileName));
        Assert.Equal(string.Join(",", CodedRecordSource.ReviewColumns), review[0]);
        Assert.Equal(2, review.Length);
        // Input text never starts a formula in the review file either.
        Assert.StartsWith("survey,survey.csv,", review[1]);
        Assert.Contains(",c,,'=" + unclear + "," + unclearCoding.IscoCode + "," + unclearCoding.IscoConfidence.ToString("R", CultureInfo.InvariantCulture) + ",0,", review[1]);
        // The record had its own goal (5): not replaced; its free-text direction was not evidence; the thresholds that decided.
        Assert.EndsWith(",0,helping out,0,0.6," + ActivityCoder.Default.SdgReviewThreshold.ToString("R", CultureInfo.InvariantCulture), review[1]);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var coding = manifest.RootElement.GetProperty("coding");
        Assert.Equal("embedded", coding.GetProperty("model").GetString());
        Assert.Equal(ActivityCoder.Default.Manifest.TrainingExamplesSha256, coding.GetProperty("model_training_examples_sha256").GetString());
        // The study set the ISCO threshold; the SDG threshold is the model's recorded one. One record's direction was used.
        Assert.Equal(0.6, coding.GetProperty("isco_threshold").GetDouble());
        Assert.Equal("study", coding.GetProperty("isco_threshold_source").GetString());
        Assert.Equal(ActivityCoder.Default.SdgReviewThreshold, coding.GetProperty("sdg_threshold").GetDouble());
        Assert.Equal("model", coding.GetProperty("sdg_threshold_source").GetString());
        Assert.Equal(1, coding.GetProperty("records_with_direction").GetInt32());
        Assert.Equal(1, coding.GetProperty("records_with_unknown_direction").GetInt32());
        // Coder version and its evaluation-set figures travel with the run (issue #17), copied from the model's manifest.
        Assert.Equal(ActivityCoder.Version, coding.GetProperty("coder_version").GetString());
        var figures = coding.GetProperty("coder_evaluation");
        Assert.Equal(ActivityCoder.Default.Manifest.Evaluation!["all.isco_major_top1"], figures.GetProperty("all.isco_major_top1").GetDouble());
        Assert.Equal(414, figures.GetProperty("all.n").GetDouble());
        Assert.Equal(2, coding.GetProperty("records_coded").GetInt32());
        Assert.Equal(1, coding.GetProperty("isco_codes_used").GetInt32());
        Assert.Equal(1, coding.GetProperty("sdg_goals_filled").GetInt32());
        Assert.Equal(1, coding.GetProperty("sent_to_review").GetInt32());
        // Mean of the two confidences, computed here from the coder's own answers.
        Assert.Equal((confidentCoding.IscoConfidence + unclearCoding.IscoConfidence) / 2, coding.GetProperty("mean_isco_confidence").GetDouble(), 1e-12);
        var bands = coding.GetProperty("isco_confidence_bands").EnumerateObject().Select(p => (p.Name, Count: p.Value.GetInt32())).ToList();
        Assert.Equal(["0.0-0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0"], bands.Select(b => b.Name));
        Assert.Equal(2, bands.Sum(b => b.Count));
        Assert.Equal(1, bands[^1].Count);
        Assert.Contains(CodedRecordSource.ReviewFileName, manifest.RootElement.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Both_passes_see_the_same_codes_and_goals_are_filled_only_when_missing()
    {
        var (confident, confidentCoding, unclear, _) = Texts();
        var inner = new InMemoryRecordSource(Items(confident, unclear));
        var source = new CodedRecordSource(inner, ActivityCoder.Default, 0.6);
        var first = source.Read().Select(i => i.Record!).ToList();
        var second = source.Read().Select(i => i.Record!).ToList();
        Assert.Equal(first, second);
        Assert.Equal(confidentCoding.IscoCode, first[1].IscoCode);
        Assert.Equal(confidentCoding.SdgGoals, first[1].SdgGoals);
        Assert.Null(first[2].IscoCode);
        Assert.Equal([5], first[2].SdgGoals);
        Assert.Same(inner.Read().First().Record, first[0]); // records with a code pass through untouched
        Assert.Equal(2, source.Summary().Records.Count); // coded once, not once per pass
    }

    [Fact]
    public void A_study_without_coding_gets_the_plain_source_and_unchanged_outputs()
    {
        var study = OneCountry(MajorGroupWages);
        Assert.False(study.Coding.Enabled);
        var inner = new InMemoryRecordSource(Items("planted trees", "qwx"));
        Assert.Same(inner, CodedRecordSource.ForStudy(study, inner));
        var output = Path.Combine(Path.GetDirectoryName(study.SourcePath)!, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, CodedRecordSource.ReviewFileName), "left by an earlier run with coding\n");
        ValuationRun.Run(study, inner, output);
        Assert.Equal(string.Join(",", OutputColumns.ValuedRecords), File.ReadLines(Path.Combine(output, "valued_records.csv")).First());
        Assert.False(File.Exists(Path.Combine(output, CodedRecordSource.ReviewFileName))); // a stale review file is removed
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        Assert.False(manifest.RootElement.TryGetProperty("coding", out _));
    }

    [Theory]
    [InlineData("  threshold: 1.5\n", "between 0 and 1")]
    [InlineData("  model: no-such-model.zip\n", "does not exist")]
    public void The_study_file_rejects_a_bad_coding_section_at_its_place(string line, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, "id: t-2023\nyear: 2023\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n      hours: hours\ncoding:\n  enabled: true\n" + line);
        var error = Assert.Throws<StudyFileException>(() => StudyLoader.Load(path));
        Assert.Contains(message, error.Message);
        Assert.Equal(12, error.Location.Line);
    }

    [Fact]
    public void The_study_file_reads_the_coding_section()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, "id: t-2023\nyear: 2023\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n      hours: hours\ncoding:\n  enabled: true\n  threshold: 0.8\n");
        var study = StudyLoader.Load(path);
        Assert.True(study.Coding.Enabled);
        Assert.Equal(0.8, study.Coding.Threshold);
        Assert.Null(study.Coding.Model);
    }
}
