using System.Globalization;
using System.Text;
using System.Text.Json;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Classify.Coding;

/// <summary>The Kyrgyz sample study enables coding (samples/central-asia/generate.py): its uncoded descriptions are coded or sent to review.</summary>
public class CentralAsiaCodingTests
{
    [Fact]
    public void The_Kyrgyz_sample_codes_every_uncoded_description_and_the_outputs_reconcile()
    {
        var study = StudyLoader.Load(SampleStudies.Study("kg"));
        Assert.True(study.Coding.Enabled);
        Assert.Equal(0.6, study.Coding.Threshold);

        // Independent count from the committed CSV (UTF-8, ',' and no quoted fields): rows with a description, no ISCO
        // code and readable hours (the planted '??' row is rejected at ingest and never reaches the coder).
        var lines = File.ReadAllLines(Path.Combine(SampleStudies.Folder, "data", "kg_lfs_volunteer_module_2023.csv"), Encoding.UTF8);
        var header = lines[0].Split(',').ToList();
        var uncoded = lines.Skip(1).Select(l => l.Split(','))
            .Where(f => f[header.IndexOf("work_021")].Length > 0 && f[header.IndexOf("work_022")].Length == 0)
            .Count(f => f[header.IndexOf("hour_01")].Length == 0 || double.TryParse(f[header.IndexOf("hour_01")], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        Assert.True(uncoded > 0);

        var one = SampleStudies.NewTemporaryFolder();
        var two = SampleStudies.NewTemporaryFolder();
        ValuationRun.Run(study, CodedRecordSource.ForStudy(study, new StudyRecordSource(study)), one);
        ValuationRun.Run(study, CodedRecordSource.ForStudy(study, new StudyRecordSource(study)), two);
        foreach (var name in ValuationRun.OutputFiles.Append(CodedRecordSource.ReviewFileName))
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, name)), File.ReadAllBytes(Path.Combine(two, name)));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(one, "manifest.json")));
        var coding = manifest.RootElement.GetProperty("coding");
        Assert.Equal(uncoded, coding.GetProperty("records_coded").GetInt32());
        Assert.Equal(uncoded, coding.GetProperty("isco_confidence_bands").EnumerateObject().Sum(b => b.Value.GetInt32()));

        var valued = File.ReadAllLines(Path.Combine(one, "valued_records.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var columns = OutputColumns.ValuedRecords.ToList();
        var coder = valued.Where(f => f[^1] == "coder").ToList();
        var review = valued.Where(f => f[^1] == "review").ToList();
        Assert.Equal(coding.GetProperty("isco_codes_used").GetInt32(), coder.Count);
        Assert.Equal(uncoded, coder.Count + review.Count);
        // Every sample record has its own SDG tag, so only the ISCO part can send a record to review.
        Assert.Equal(0, coding.GetProperty("sdg_goals_filled").GetInt32());
        Assert.Equal(review.Count, coding.GetProperty("sent_to_review").GetInt32());
        Assert.Equal(review.Count, File.ReadAllLines(Path.Combine(one, CodedRecordSource.ReviewFileName)).Length - 1);
        Assert.All(coder, f => Assert.Matches("^[1-9]$", f[columns.IndexOf("isco")]));
        Assert.All(review, f => Assert.Equal("", f[columns.IndexOf("isco")]));
        // Valued records whose proposal was not used are at the generalist fallback (wage level 0).
        Assert.All(review.Where(f => f[columns.IndexOf("exclusion_reason")].Length == 0), f => Assert.Equal("0", f[columns.IndexOf("wage_level")]));
    }
}
