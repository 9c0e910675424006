using System.Globalization;
using System.Text;
using ContributionIndex.Classify.Coding;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Classify.Coding;

/// <summary>
/// A study's coding and <c>contrib classify</c> are one methodology (issue #17): the same texts with the same thresholds and
/// Forum directions get the same proposals and the same review decisions from both.
/// </summary>
public sealed class StudyCodingAgreementTests : IDisposable
{
    private static readonly string[] Directions = ["climate_eco", "health", "inclusion", "education", "international", "social", "emergencies", "ethno", "it_media"];

    private readonly string _directory = Directory.CreateTempSubdirectory("study-coding-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string[][] ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        return DelimitedRecords.Read(reader, ',', quoting: true).Select(r => r.Fields).ToArray();
    }

    /// <summary>Every 9th answer of the evaluation set (all three languages); every other one keeps its Forum direction.</summary>
    private static (string Text, string? Direction)[] Answers() =>
        [.. CodingData.HeldOut().Where((_, i) => i % 9 == 0).Select((e, i) => (e.Text, i % 2 == 0 ? e.Direction : null))];

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.5, 0.7)]
    public void A_study_decides_as_classify_does_on_the_same_texts_thresholds_and_directions(double? iscoThreshold, double? sdgThreshold)
    {
        var answers = Answers();
        Assert.Contains(answers, a => a.Direction is null);
        Assert.Contains(answers, a => a.Direction is not null);

        // The study's input writes the directions in local codes ("d-health"); its code map turns them into the Forum's.
        var data = new StringBuilder("volunteer,hours,activity,area\n");
        for (var i = 0; i < answers.Length; i++)
            data.Append(CultureInfo.InvariantCulture, $"p{i},2,{Quote(answers[i].Text)},{(answers[i].Direction is { } d ? "d-" + d : "")}\n");
        File.WriteAllText(Path.Combine(_directory, "log.csv"), data.ToString());
        var codes = string.Join(", ", Directions.Select(d => $"{d}: [d-{d}]"));
        var thresholds = (iscoThreshold is { } t ? $"  threshold: {t.ToString(CultureInfo.InvariantCulture)}\n" : "")
            + (sdgThreshold is { } s ? $"  sdg_threshold: {s.ToString(CultureInfo.InvariantCulture)}\n" : "");
        var studyPath = Path.Combine(_directory, "study.yaml");
        File.WriteAllText(studyPath, "id: t-2023\nyear: 2023\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n" +
            "      hours: hours\n      activity_text: activity\n      direction: area\n    codes:\n      direction: {" + codes + "}\ncoding:\n  enabled: true\n" + thresholds);
        var study = StudyLoader.Load(studyPath);
        var source = Assert.IsType<CodedRecordSource>(CodedRecordSource.ForStudy(study, new StudyRecordSource(study)));
        var records = source.Read().Select(item => item.Record).ToList();
        var coded = source.Summary().Records;
        Assert.Equal(answers.Length, coded.Count);

        // classify gets the same texts with the Forum directions themselves (what the code map gives).
        var classifyInput = new StringBuilder("id,activity,area\n");
        for (var i = 0; i < answers.Length; i++) classifyInput.Append(CultureInfo.InvariantCulture, $"{i},{Quote(answers[i].Text)},{answers[i].Direction}\n");
        var input = Path.Combine(_directory, "answers.csv");
        File.WriteAllText(input, classifyInput.ToString());
        var output = Path.Combine(_directory, "coded.csv");
        var args = new List<string> { "classify", "--input", input, "--text-column", "activity", "--direction-column", "area", "--out", output };
        if (iscoThreshold is { } it) args.AddRange(["--threshold", it.ToString(CultureInfo.InvariantCulture)]);
        if (sdgThreshold is { } st) args.AddRange(["--sdg-threshold", st.ToString(CultureInfo.InvariantCulture)]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(Program.Run([.. args], stdout, stderr) == ExitCodes.Success, stderr.ToString());
        var classified = ReadCsv(output).Skip(1).ToArray();
        Assert.Equal(answers.Length, classified.Length);

        // Same thresholds: the model's recorded ones unless both sides were given others.
        Assert.Equal(iscoThreshold ?? ActivityCoder.Default.ReviewThreshold, source.IscoThreshold);
        Assert.Equal(sdgThreshold ?? ActivityCoder.Default.SdgReviewThreshold, source.SdgThreshold);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"thresholds ISCO {source.IscoThreshold}, SDG {source.SdgThreshold}."), stdout.ToString());

        var textOnlyDiffers = 0;
        for (var i = 0; i < answers.Length; i++)
        {
            var (study1, row) = (coded[i], classified[i]);
            Assert.Equal(answers[i].Text, study1.Text);
            Assert.Equal(row[3], study1.Coding.IscoCode);
            Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), study1.Coding.IscoConfidence);
            Assert.Equal(row[7], string.Join(';', study1.Coding.SdgGoals));
            Assert.Equal(double.Parse(row[8], CultureInfo.InvariantCulture), study1.Coding.SdgConfidence);
            // No record has goals of its own, so the study's review list is classify's queue.
            Assert.Equal(row[9] == "true", study1.NeedsReview);
            Assert.Equal(study1.IscoUsed ? row[3] : null, records[i]!.IscoCode);
            Assert.Equal(answers[i].Direction ?? "", study1.Direction);
            Assert.Equal(answers[i].Direction is not null, study1.DirectionUsed);
            var textOnly = ActivityCoder.Default.Predict(answers[i].Text);
            if (answers[i].Direction is null) Assert.Equal(textOnly.SdgConfidence, study1.Coding.SdgConfidence);
            else if (textOnly.SdgConfidence != study1.Coding.SdgConfidence || textOnly.IscoConfidence != study1.Coding.IscoConfidence) textOnlyDiffers++;
        }

        // The direction reached the coder: records with one were not given the text-only answer.
        Assert.True(textOnlyDiffers > 0);
        Assert.Contains(coded, r => r.NeedsReview);
        Assert.Equal(iscoThreshold is not null, source.Summary().IscoThresholdFromStudy);
        Assert.Equal(sdgThreshold is not null, source.Summary().SdgThresholdFromStudy);
    }

    [Theory]
    [InlineData("  threshold: 1.5\n", "threshold must be between 0 and 1", 14)]
    [InlineData("  threshold: -0.1\n", "threshold must be between 0 and 1", 14)]
    [InlineData("  sdg_threshold: 2\n", "sdg_threshold must be between 0 and 1", 18)]
    [InlineData("  sdg_threshold: .nan\n", "must be a number", 18)] // the binder refuses NaN before the validator sees it
    public void The_study_file_rejects_a_threshold_outside_0_1_at_its_line_and_column(string line, string message, int column)
    {
        File.WriteAllText(Path.Combine(_directory, "log.csv"), "volunteer,hours\nv1,2\n");
        var path = Path.Combine(_directory, "study.yaml");
        File.WriteAllText(path, "id: t-2023\nyear: 2023\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n      hours: hours\ncoding:\n  enabled: true\n" + line);
        var error = Assert.Throws<StudyFileException>(() => StudyLoader.Load(path));
        Assert.Contains(message, error.Message);
        Assert.Equal(12, error.Location.Line);
        Assert.Equal(column, error.Location.Column);
    }

    [Fact]
    public void Without_thresholds_a_study_file_uses_the_models_and_with_them_its_own()
    {
        File.WriteAllText(Path.Combine(_directory, "log.csv"), "volunteer,hours\nv1,2\n");
        var path = Path.Combine(_directory, "study.yaml");
        const string head = "id: t-2023\nyear: 2023\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n      hours: hours\ncoding:\n  enabled: true\n";
        File.WriteAllText(path, head);
        var plain = StudyLoader.Load(path);
        Assert.Null(plain.Coding.Threshold);
        Assert.Null(plain.Coding.SdgThreshold);
        var source = Assert.IsType<CodedRecordSource>(CodedRecordSource.ForStudy(plain, new StudyRecordSource(plain)));
        Assert.Equal(ActivityCoder.Default.Manifest.Options.ReviewThreshold, source.IscoThreshold);
        Assert.Equal(ActivityCoder.Default.Manifest.Options.SdgReviewThreshold, source.SdgThreshold);

        File.WriteAllText(path, head + "  sdg_threshold: 0.75\n");
        var sdgOnly = StudyLoader.Load(path);
        Assert.Null(sdgOnly.Coding.Threshold);
        Assert.Equal(0.75, sdgOnly.Coding.SdgThreshold);
        source = Assert.IsType<CodedRecordSource>(CodedRecordSource.ForStudy(sdgOnly, new StudyRecordSource(sdgOnly)));
        Assert.Equal(ActivityCoder.Default.Manifest.Options.ReviewThreshold, source.IscoThreshold);
        Assert.Equal(0.75, source.SdgThreshold);
    }
}
