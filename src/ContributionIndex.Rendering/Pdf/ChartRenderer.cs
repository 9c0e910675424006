using ContributionIndex.Reporting;
using System.Runtime.InteropServices;
using ScottPlot;
using SkiaSharp;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>Draws a <see cref="ChartSpec"/> with ScottPlot 5 as a PNG image.</summary>
internal static class ChartRenderer
{
    // A ColorBrewer "Set2"-like palette that stays distinct in greyscale print.
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1B6CA8"), Color.FromHex("#E07B39"), Color.FromHex("#3E9651"), Color.FromHex("#8C564B"),
        Color.FromHex("#7F7F7F"), Color.FromHex("#9467BD"),
    ];

    /// <summary>ScottPlot lays a chart out in logical units (a 12-unit tick label font); 1.5 units per printed point.</summary>
    internal const double UnitsPerPoint = 1.5;

    /// <summary>ScottPlot's tick label font size, in logical units.</summary>
    internal const double TickFontSize = 12;

    /// <summary>Logical units the value axis (tick labels and axis title) takes at the left of a vertical bar chart, at most.</summary>
    internal const double LeftAxisAllowance = 110;

    /// <summary>
    /// Renders the chart at the given pixel size; <paramref name="pixelsPerPoint"/> is the print resolution (300 dpi
    /// is 300/72), so that text and lines keep their printed size whatever the resolution.
    /// </summary>
    public static byte[] RenderPng(ChartSpec chart, string fontFamily, int width, int height, ReportLanguage language, double pixelsPerPoint)
    {
        var plot = new Plot();
        plot.Font.Set(fontFamily);
        plot.ScaleFactor = (float)(pixelsPerPoint / UnitsPerPoint);
        plot.Axes.Title.Label.Text = "";
        switch (chart.Kind)
        {
            case ChartKind.HorizontalBar:
                DrawHorizontalBars(plot, chart);
                break;
            case ChartKind.BarWithRange:
            case ChartKind.GroupedBar:
                using (var measure = new TickLabelMeasure(fontFamily))
                    DrawVerticalBars(plot, chart, width / plot.ScaleFactor, measure.Width);
                break;
            case ChartKind.PointWithInterval:
                DrawPoints(plot, chart, language);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(chart), chart.Kind, "Unknown chart kind.");
        }

        // Tick labels in the report language's number format (space thousands and decimal comma in kk/ru).
        string Format(double v) => language.FormatNumber(v, new NumberStyle(Math.Abs(v) >= 10 || v == Math.Round(v) ? 0 : 1));
        IAxis valueAxis = chart.Kind is ChartKind.HorizontalBar or ChartKind.PointWithInterval ? plot.Axes.Bottom : plot.Axes.Left;
        var points = chart.Series.SelectMany(s => s.Points).ToArray();
        var integral = points.All(p => p.Value == Math.Round(p.Value) && (p.Low ?? 0) == Math.Round(p.Low ?? 0) && (p.High ?? 0) == Math.Round(p.High ?? 0));
        if (chart.Kind == ChartKind.PointWithInterval && integral && points.Length > 0)
        {
            // Ranks: one tick per whole rank.
            var max = (int)points.Max(p => Math.Max(p.Value, p.High ?? p.Value));
            valueAxis.SetTicks(Enumerable.Range(1, max).Select(i => (double)i).ToArray(), Enumerable.Range(1, max).Select(i => Format(i)).ToArray());
        }
        else
        {
            valueAxis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Format };
        }

        plot.Grid.MajorLineColor = Color.FromHex("#E5E5E5");
        // The pixels go to PDFsharp as a stored (uncompressed) PNG: PDFsharp decodes the PNG and compresses the pixels
        // itself, so compressing them here first would only cost time (the PDF is the same either way).
        // Drawn as ScottPlot's own GetImage does (RGBA, premultiplied surface), read back as straight RGBA as a PNG encoder would.
        var surfaceInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(surfaceInfo) ?? throw new InvalidOperationException("SkiaSharp could not create a chart surface.");
        plot.Render(surface.Canvas, width, height);
        var pixels = new byte[width * height * 4];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            if (!surface.ReadPixels(surfaceInfo.WithAlphaType(SKAlphaType.Unpremul), handle.AddrOfPinnedObject(), width * 4, 0, 0))
                throw new InvalidOperationException("The chart pixels could not be read back from SkiaSharp.");
        }
        finally
        {
            handle.Free();
        }

        return StoredPng.Encode(width, height, pixels);
    }

    private static void DrawHorizontalBars(Plot plot, ChartSpec chart)
    {
        var series = chart.Series[0];
        var n = series.Points.Count;
        var bars = new List<Bar>();
        for (var i = 0; i < n; i++)
        {
            // Top-to-bottom in category order.
            bars.Add(new Bar { Position = n - 1 - i, Value = series.Points[i].Value, FillColor = Palette[0], Orientation = Orientation.Horizontal, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), series.Points.Select(p => p.Category).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.Label.Text = chart.ValueAxisLabel;
        plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
    }

    private static void DrawVerticalBars(Plot plot, ChartSpec chart, double logicalWidth, Func<string, double> measure)
    {
        var categories = chart.Series[0].Points.Select(p => p.Category).ToArray();
        var seriesCount = chart.Series.Count;
        var groupWidth = 0.8;
        var barWidth = groupWidth / seriesCount;
        var bars = new List<Bar>();
        var intervals = new List<(double Position, double Low, double High)>();
        for (var s = 0; s < seriesCount; s++)
        {
            var series = chart.Series[s];
            for (var i = 0; i < series.Points.Count; i++)
            {
                var p = series.Points[i];
                var position = i - groupWidth / 2 + barWidth * (s + 0.5);
                bars.Add(new Bar { Position = position, Value = p.Value, Size = barWidth * 0.92, FillColor = Palette[s % Palette.Length], LineWidth = 0 });
                if (p.Low is { } low && p.High is { } high) intervals.Add((position, low, high));
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.IsVisible = false;
        foreach (var (position, low, high) in intervals)
        {
            var line = plot.Add.Line(position, low, position, high);
            line.LineWidth = 2;
            line.Color = Colors.Black;
            foreach (var y in new[] { low, high })
            {
                var cap = plot.Add.Line(position - barWidth * 0.2, y, position + barWidth * 0.2, y);
                cap.LineWidth = 2;
                cap.Color = Colors.Black;
            }
        }

        // Each category gets exactly one slot of the data area, and its label is wrapped (or, failing that, turned) to fit it.
        plot.Axes.SetLimitsX(-0.5, categories.Length - 0.5);
        var slot = CategorySlot(logicalWidth, categories.Length);
        var (labels, rotated) = FitCategoryLabels(categories, slot, measure);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Length).Select(i => (double)i).ToArray(), labels);
        if (rotated)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // ScottPlot sizes the axis for the labels' unturned height, which clips turned labels of several lines:
            // reserve their turned height instead.
            plot.Axes.Bottom.MinimumSize = (float)TurnedLabelHeight(labels, measure);
        }

        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = chart.ValueAxisLabel;
        plot.Axes.Margins(bottom: 0, top: 0.1);
        if (seriesCount > 1)
        {
            for (var s = 0; s < seriesCount; s++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = chart.Series[s].Name, FillColor = Palette[s % Palette.Length] });
            plot.Legend.IsVisible = true;
            plot.Legend.Alignment = Alignment.UpperRight;
        }
    }

    /// <summary>The width of one category's slot on a vertical bar chart (logical units), at least: the data area is the chart less the value axis.</summary>
    internal static double CategorySlot(double logicalWidth, int categories) => (logicalWidth - LeftAxisAllowance) / Math.Max(1, categories);

    /// <summary>Most lines a wrapped category label may take (the opportunity-cost label names its policy in full).</summary>
    internal const int MaxLabelLines = 8;

    /// <summary>
    /// Category labels that never overlap: each is wrapped at spaces so that every line is narrower than 90 % of its
    /// slot (at most <see cref="MaxLabelLines"/> lines). When a single word is wider than that, all labels are turned 45°
    /// instead, on one line each when short, so that neighbours stay a line height apart.
    /// </summary>
    internal static (string[] Labels, bool Rotated) FitCategoryLabels(IReadOnlyList<string> categories, double slot, Func<string, double> measure)
    {
        var usable = 0.9 * slot;
        var wrapped = categories.Select(c => WrapLabel(c, usable, measure)).ToArray();
        if (wrapped.All(w => w.Split('\n') is { Length: <= MaxLabelLines } lines && lines.All(line => measure(line) <= usable)))
            return (wrapped, false);
        // Turned labels are laid side by side a slot apart: they overlap only if a slot is less than two line heights.
        return (categories.Select(c => WrapLabel(c, 160, measure)).ToArray(), true);
    }

    /// <summary>
    /// The vertical room (logical units) that labels turned 45° need below the axis: the widest line's projection plus
    /// the projection of the label's line stack, with a line height of 1.3 tick font sizes and a small margin.
    /// </summary>
    internal static double TurnedLabelHeight(IEnumerable<string> labels, Func<string, double> measure)
    {
        var lineHeight = 1.3 * TickFontSize;
        var tallest = labels.Select(label => label.Split('\n'))
            .Select(lines => (lines.Max(measure) + lines.Length * lineHeight) * Math.Sqrt(0.5))
            .DefaultIfEmpty(0)
            .Max();
        return tallest + lineHeight;
    }

    /// <summary>Breaks a tick label into lines no wider than <paramref name="width"/> at spaces (a longer word stays whole on its line).</summary>
    internal static string WrapLabel(string text, double width, Func<string, double> measure)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && measure(current + " " + word) > width)
            {
                lines.Add(current);
                current = word;
            }
            else
            {
                current = current.Length == 0 ? word : current + " " + word;
            }
        }

        if (current.Length > 0) lines.Add(current);
        return string.Join("\n", lines);
    }

    private static void DrawPoints(Plot plot, ChartSpec chart, ReportLanguage language)
    {
        var series = chart.Series[0];
        var n = series.Points.Count;
        for (var i = 0; i < n; i++)
        {
            var p = series.Points[i];
            double y = n - 1 - i;
            if (p.Low is { } low && p.High is { } high)
            {
                var line = plot.Add.Line(low, y, high, y);
                line.LineWidth = 3;
                line.Color = Palette[0].WithAlpha(0.6);
            }

            var marker = plot.Add.Marker(p.Value, y);
            marker.MarkerSize = 12;
            marker.Color = Palette[0];
        }

        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), series.Points.Select(p => p.Category).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.Label.Text = chart.ValueAxisLabel;
        plot.Axes.SetLimitsY(-0.7, n - 0.3);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = language.Text("chart.interval"), LineColor = Palette[0].WithAlpha(0.6), LineWidth = 3 });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.LowerRight;
    }

    /// <summary>Measures tick label text as ScottPlot draws it (the chart font at the tick label size, logical units).</summary>
    internal sealed class TickLabelMeasure : IDisposable
    {
        private readonly SKTypeface _typeface;
        private readonly SKFont _font;

        /// <summary>Loads the font family.</summary>
        public TickLabelMeasure(string fontFamily)
        {
            _typeface = SKTypeface.FromFamilyName(fontFamily) ?? SKTypeface.Default;
            _font = new SKFont(_typeface, (float)TickFontSize);
        }

        /// <summary>The advance width of <paramref name="text"/>.</summary>
        public double Width(string text) => _font.MeasureText(text);

        /// <inheritdoc />
        public void Dispose()
        {
            _font.Dispose();
            _typeface.Dispose();
        }
    }
}
