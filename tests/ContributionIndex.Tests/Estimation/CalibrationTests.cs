using ContributionIndex.Estimation;

namespace ContributionIndex.Tests.Estimation;

public sealed class CalibrationTests
{
    private static (TaylorDesign Design, SampleTable Table) Clus1()
    {
        var table = SampleTable.Read(Path.Combine(RGolden.Folder, "apiclus1.csv"));
        var design = TaylorDesign.Create(table.Numbers("pw"), null, table.Strings("dnum"), table.Numbers("fpc"));
        return (design, table);
    }

    [Fact]
    public void Calibrated_totals_hit_the_population_with_zero_variance_in_both_design_kinds()
    {
        // apipop: N = 6194, H 755, M 1018 schools, Σ api99 = 3914069; a calibration variable's total is fixed, so its SE is 0.
        var (taylor, table) = Clus1();
        var model = CalibrationModel.WithIntercept(table.RowCount).AddFactor("stype", table.Strings("stype")).AddNumeric("api99", table.Numbers("api99"));
        Assert.Equal(["(Intercept)", "stypeH", "stypeM", "api99"], model.ColumnNames);
        double[] totals = [6194, 755, 1018, 3914069];
        var whole = DomainPartition.Whole(table.RowCount);
        foreach (var function in new[] { CalibrationFunction.Linear, CalibrationFunction.Raking })
            foreach (SurveyDesign design in new SurveyDesign[] { taylor, ReplicateConversion.Jk1(taylor) })
            {
                var calibrated = Calibration.Calibrate(design, model, totals, function);
                // Linear calibration is exact; raking stops when every misfit is below 1e-7·(1 + |total|) (R grake's rule).
                double Allowed(double target) => function == CalibrationFunction.Linear ? 1e-9 * target : 1e-7 * (1 + target);
                var total = SurveyEstimator.Total(calibrated, "api99", table.Numbers("api99"), whole).Single();
                Assert.InRange(total.Value, 3914069 - Allowed(3914069), 3914069 + Allowed(3914069));
                Assert.True(total.StandardError < 1e-6 * total.Value, $"{function} {design.GetType().Name}: SE {total.StandardError}");
                var count = SurveyEstimator.Total(calibrated, "one", Enumerable.Repeat(1.0, table.RowCount).ToArray(), whole).Single();
                Assert.InRange(count.Value, 6194 - Allowed(6194), 6194 + Allowed(6194));
                if (calibrated is ReplicateDesign replicate)
                    for (int r = 0; r < replicate.ReplicateCount; r++)
                        Assert.InRange(replicate.ReplicateWeights(r).ToArray().Sum(), 6194 - Allowed(6194), 6194 + Allowed(6194));
            }
    }

    [Fact]
    public void Post_stratification_scales_each_cell_to_its_count()
    {
        var (taylor, table) = Clus1();
        var stype = table.Strings("stype");
        var population = new Dictionary<string, double> { ["E"] = 4421, ["H"] = 755, ["M"] = 1018 };
        var calibrated = Calibration.PostStratify(taylor, stype, population);
        foreach (var (cell, count) in population)
            Assert.Equal(count, Enumerable.Range(0, table.RowCount).Where(i => stype[i] == cell).Sum(i => calibrated.Weights[i]), 8);
        Assert.True(((TaylorDesign)calibrated).IsCalibrated);
        Assert.Contains("already calibrated", Assert.Throws<EstimationException>(() => Calibration.PostStratify(calibrated, stype, population)).Message);
    }

    [Fact]
    public void Post_strata_must_match_the_population_table()
    {
        var (taylor, table) = Clus1();
        var stype = table.Strings("stype");
        Assert.Contains("'M' is in the sample but has no population count",
            Assert.Throws<EstimationException>(() => Calibration.PostStratify(taylor, stype, new Dictionary<string, double> { ["E"] = 1, ["H"] = 2 })).Message);
        Assert.Contains("'X' has a population count but no sample rows",
            Assert.Throws<EstimationException>(() => Calibration.PostStratify(taylor, stype,
                new Dictionary<string, double> { ["E"] = 1, ["H"] = 2, ["M"] = 3, ["X"] = 4 })).Message);
    }

    [Fact]
    public void Inconsistent_raking_margins_do_not_converge_and_say_so()
    {
        var (taylor, table) = Clus1();
        var model = CalibrationModel.WithIntercept(table.RowCount).AddFactor("stype", table.Strings("stype"));
        // H + M = 7000 schools exceed the population of 6194: no positive weights can satisfy both.
        var ex = Assert.Throws<EstimationException>(() => Calibration.Calibrate(taylor, model, [6194, 4000, 3000], CalibrationFunction.Raking));
        Assert.Contains("did not converge", ex.Message);
    }
}
