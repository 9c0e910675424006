using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;

namespace ContributionIndex.Studies;

/// <summary>
/// The one set of checks a study passes before anything runs, whether it was loaded from YAML (<see cref="StudyLoader"/>)
/// or built in code: values in range, references that exist, options that fit together. Each failure names the key's
/// place in the study file (or the whole study when it was built in code). Validation also resolves the study's
/// relative paths against its folder.
/// </summary>
public static class StudyValidator
{
    /// <summary>Checks <paramref name="study"/> and resolves its paths; calling it again on a valid study changes nothing.</summary>
    /// <exception cref="StudyFileException">A value is invalid; the message names the key and how to fix it.</exception>
    public static void Validate(Study study) => Validate(study, asPreviousWave: false);

    /// <summary>Checks a study; as the previous wave of another study it may not name a previous wave of its own.</summary>
    internal static void Validate(Study study, bool asPreviousWave)
    {
        ArgumentNullException.ThrowIfNull(study);
        var display = study.DisplayPath.Length > 0 ? study.DisplayPath : study.SourcePath.Length > 0 ? study.SourcePath : "study (built in code)";
        new Checks(study, display, study.Locations, asPreviousWave).Run();
    }

    /// <summary>Checks values and references once the file is bound; each check names the key's place.</summary>
    private sealed class Checks(Study study, string displayPath, IReadOnlyDictionary<string, SourceLocation> locations, bool asPreviousWave)
    {
        private SourceLocation At(string keyPath)
        {
            if (locations.TryGetValue(keyPath, out var location)) return location;
            // A value left to its default: point at the nearest written parent.
            var parent = keyPath;
            while (parent.Length > 0)
            {
                var cut = Math.Max(parent.LastIndexOf('.'), parent.LastIndexOf('['));
                if (cut <= 0) break;
                parent = parent[..cut];
                if (locations.TryGetValue(parent, out location)) return location;
            }

            return locations.TryGetValue("", out location) ? location : SourceLocation.OfFile(displayPath);
        }

        private SourceLocation KeyAt(string keyPath) => locations.TryGetValue(keyPath + "#key", out var location) ? location : At(keyPath);

        private static StudyFileException Error(SourceLocation at, string message, string? hint = null) => new(at, message, hint);

        /// <summary>
        /// Refuses a path that leads outside the study file's folder once <c>..</c> and symbolic links are resolved,
        /// unless the study opts out (<c>allow_paths_outside_study_folder: true</c>). Checked before the file is
        /// opened or even looked for, so a study file can neither read nor probe files elsewhere. A study built in code
        /// without a source path is not confined (code is trusted; there is no folder to confine it to).
        /// </summary>
        private void Confine(string keyPath, string written, string fullPath)
        {
            if (study.AllowPathsOutsideStudyFolder || study.SourcePath.Length == 0) return;
            string real, folder;
            try
            {
                folder = PathConfinement.RealPath(study.BaseDirectory);
                real = PathConfinement.RealPath(fullPath);
            }
            catch (IOException)
            {
                throw Error(At(keyPath), $"'{MessageText.Excerpt(written)}' cannot be resolved (too many symbolic links).", "Give a path inside the study file's folder.");
            }

            if (!PathConfinement.IsInside(real, folder))
            {
                throw Error(At(keyPath), $"'{MessageText.Excerpt(written)}' leads outside the study file's folder ({folder}).",
                    "Keep data and parameter files in the study's folder or below it, or add 'allow_paths_outside_study_folder: true' to the study file to allow paths elsewhere.");
            }
        }

        /// <summary>Refuses a parameter file that is a FIFO, device or socket (reading it would hang or never end).</summary>
        private void RegularFile(string key, string given, string fullPath)
        {
            if (SpecialFiles.Describe(fullPath) is { } kind)
                throw Error(At(key), $"'{given}' is {kind}, not a file.", "Parameter files must be regular files.");
        }

        public void Run()
        {
            if (string.IsNullOrWhiteSpace(study.Id))
                throw Error(At("id"), "the study has no 'id'.", "Add a short identifier such as 'id: kz-2023' (used in output file names).");
            if (study.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw Error(At("id"), $"id '{study.Id}' may contain only letters, digits, '-', '_' and '.'.", "It becomes part of output file names.");
            if (study.Year == 0 && !locations.ContainsKey("year"))
                throw Error(At("year"), "the study has no 'year'.", "Add the reference year of the data, e.g. 'year: 2023'.");
            if (study.Year is < 1990 or > 2100)
                throw Error(At("year"), string.Create(CultureInfo.InvariantCulture, $"year {study.Year} is outside 1990–2100."), "Give the reference year of the data, e.g. 'year: 2023'.");
            if (study.BaseYear is { } baseYear && baseYear is < 1990 or > 2100)
                throw Error(At("base_year"), string.Create(CultureInfo.InvariantCulture, $"base_year {baseYear} is outside 1990–2100."));

            ValidateReferencePeriod();
            ValidateInputs();
            ValidateValuation();
            ValidateCountries();
            ValidateChecks();
            ValidateEstimation();
            ValidateIndex();
            ValidateCoding();
            ValidateReport();
            Reporting.Sdmx.CountryCodes.Check(study); // every country, and the pool, needs an SDMX REF_AREA
            ValidatePreviousWave();
        }

        /// <summary>
        /// The previous wave (methodology/change-over-time.md): a study file in the study's folder, loaded and validated
        /// itself, with the same countries, an earlier year and no previous wave of its own (one level: no chains, no
        /// cycles); this study's CPI series must hold both years, which deflate the earlier values.
        /// </summary>
        private void ValidatePreviousWave()
        {
            if (study.PreviousWave is not { } wave) return;
            if (asPreviousWave)
            {
                throw Error(KeyAt("previous_wave"), "a previous wave cannot name a previous wave of its own (one level only).",
                    "Compare two waves at a time: remove 'previous_wave' from this file, or name the earliest wave from the latest one.");
            }

            if (string.IsNullOrWhiteSpace(wave.Study))
                throw Error(At("previous_wave.study"), "previous_wave needs 'study', the path of the earlier wave's study file.", "E.g. 'previous_wave: {study: kz-2019.yaml}'.");
            var full = study.ResolvePath(wave.Study);
            Confine("previous_wave.study", wave.Study, full);
            if (study.SourcePath.Length > 0 && string.Equals(Path.GetFullPath(study.SourcePath), full, StringComparison.Ordinal))
                throw Error(At("previous_wave.study"), "previous_wave names this study file itself.", "Name the study file of the earlier wave.");
            if (!File.Exists(full))
                throw Error(At("previous_wave.study"), $"the previous wave's study file '{MessageText.Excerpt(wave.Study)}' {SpecialFiles.Absence(full)} (looked for {full}).", "Paths are relative to the study file's folder.");
            RegularFile("previous_wave.study", wave.Study, full);
            if (wave.Wave is null || !string.Equals(wave.FullPath, full, StringComparison.Ordinal))
            {
                // Messages about the earlier file name it as the user reaches it from here.
                var display = study.DisplayPath.Length > 0 ? Path.Combine(Path.GetDirectoryName(study.DisplayPath) ?? "", wave.Study) : full;
                var previous = StudyLoader.Load(display.Length > 0 && File.Exists(display) ? display : full, asPreviousWave: true);
                wave.FullPath = full;
                wave.Wave = previous;
            }

            var earlier = wave.Wave;
            if (earlier.Year >= study.Year)
            {
                throw Error(At("previous_wave.study"), string.Create(CultureInfo.InvariantCulture,
                    $"the previous wave '{MessageText.Excerpt(wave.Study)}' has year {earlier.Year}, not earlier than this study's {study.Year}."),
                    "Name the study file of an earlier wave, or compare the other way round.");
            }

            var now = study.Countries.Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
            var then = earlier.Countries.Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
            if (!now.SequenceEqual(then, StringComparer.Ordinal))
            {
                throw Error(At("previous_wave.study"), $"the previous wave '{MessageText.Excerpt(wave.Study)}' covers {string.Join(", ", then)}, this study {string.Join(", ", now)}: a change needs the same countries in both waves.",
                    "Name a previous wave of the same countries.");
            }

            for (var i = 0; i < study.Countries.Count; i++)
            {
                var country = study.Countries[i];
                var missing = new[] { earlier.Year, study.Year }.Where(y => country.Cpi.All(c => c.Year != y)).ToList();
                if (missing.Count == 0) continue;
                throw Error(KeyAt(string.Create(CultureInfo.InvariantCulture, $"countries[{i}].cpi")), string.Create(CultureInfo.InvariantCulture,
                    $"the CPI of {country.Code} has no index for {string.Join(" and ", missing)}: the change table states {earlier.Year} values at {study.Year} prices (value × CPI {study.Year} / CPI {earlier.Year})."),
                    string.Create(CultureInfo.InvariantCulture, $"Add '- {{year: {missing[0]}, index: ..., source: \"...\"}}' to the cpi list of {country.Code}."));
            }
        }

        /// <summary>Refuses a cover text longer than <see cref="InputLimits.MaxLabelChars"/> at its key.</summary>
        private void LabelLength(string key, string? text)
        {
            if (text is null || text.Length <= InputLimits.MaxLabelChars) return;
            throw Error(At(key), string.Create(CultureInfo.InvariantCulture,
                $"{key} is {text.Length} characters long, more than the {InputLimits.MaxLabelChars} characters a cover text may have (the label size limit)."),
                "Shorten it; long explanations belong in the methodology notes, not on the cover.");
        }

        private void ValidateReport()
        {
            if (study.Report.ReleaseDate is { } released && released <= new DateOnly(study.Year, 12, 31))
            {
                throw Error(At("report.release_date"), string.Create(CultureInfo.InvariantCulture,
                    $"release_date {released:yyyy-MM-dd} is not after the reference year {study.Year}: an annex cannot be released before its data and sources exist."),
                    "Give the day the annex is published, e.g. " + string.Create(CultureInfo.InvariantCulture, $"{study.Year + 1}-06-30."));
            }

            if (study.Report.Contact is { } contact && string.IsNullOrWhiteSpace(contact))
                throw Error(At("report.contact"), "contact is empty.", "Write an e-mail address or web page, or remove the key.");
            // Cover texts end up in Excel cells (at most 32,767 characters) and PDF lines: a documented limit, refused at the key.
            LabelLength("title", study.Title);
            foreach (var (key, text) in new[] { ("report.title", study.Report.Title), ("report.publisher", study.Report.Publisher) })
            {
                LabelLength(key + ".en", text?.En);
                LabelLength(key + ".ru", text?.Ru);
                LabelLength(key + ".kk", text?.Kk);
            }

            LabelLength("report.contact", study.Report.Contact);
            if (study.Report.RegionLabels is not { } labels) return;
            if (string.IsNullOrWhiteSpace(labels))
                throw Error(At("report.region_labels"), "region_labels names no file.", "Write e.g. 'region_labels: parameters/region-labels.csv' (columns region,en,ru,kk) or remove the key.");
            study.Report.RegionLabelsFullPath = study.ResolvePath(labels);
            Confine("report.region_labels", labels, study.Report.RegionLabelsFullPath);
            if (!File.Exists(study.Report.RegionLabelsFullPath))
                throw Error(At("report.region_labels"), $"the region labels '{labels}' {(Directory.Exists(study.Report.RegionLabelsFullPath) ? "are a folder, not a file" : "do not exist")} (looked for {study.Report.RegionLabelsFullPath}).", "Paths are relative to the study file's folder.");
            RegularFile("report.region_labels", labels, study.Report.RegionLabelsFullPath);
            Reporting.RegionLabels.Load(study.Report.RegionLabelsFullPath, labels); // a bad row stops the study before any long step
        }

        private void ValidateEstimation()
        {
            var e = study.Estimation;
            for (var i = 0; i < e.Domains.Count; i++)
            {
                Choice(string.Create(CultureInfo.InvariantCulture, $"estimation.domains[{i}]"), "domain", e.Domains[i], StudyLoader.EstimationDomains);
            }

            if (e.Domains.Distinct(StringComparer.Ordinal).Count() != e.Domains.Count)
                throw Error(At("estimation.domains"), "a domain is listed twice.", "List each domain once.");
            if (!(e.ConfidenceLevel > 0 && e.ConfidenceLevel < 1))
                throw Error(At("estimation.confidence_level"), "confidence_level must be between 0 and 1.", "E.g. 0.95.");
            if (e.Quality == QualityRuleSet.Custom)
            {
                if (e.PublishCv is not > 0 || e.CautionCv is not { } caution || !(caution >= e.PublishCv))
                    throw Error(At("estimation.publish_cv"), "quality: custom needs publish_cv > 0 and caution_cv ≥ publish_cv.", "E.g. publish_cv: 0.165, caution_cv: 0.333, minimum_n: 10.");
                if (e.MinimumN is < 0)
                    throw Error(At("estimation.minimum_n"), "minimum_n cannot be negative.");
            }
            else if (e.PublishCv is not null || e.CautionCv is not null || e.MinimumN is not null)
            {
                throw Error(At("estimation.quality"), $"publish_cv, caution_cv and minimum_n apply only to quality: custom, but quality is '{StudyChoices.Word(e.Quality)}'.", "Write 'quality: custom' or remove them.");
            }

            if (e.SdgAllocation == AllocationRule.UserWeights)
                throw Error(At("estimation.sdg_allocation"), "user-weights allocation needs a weight per SDG tag, which records do not carry.", $"Use one of: {string.Join(", ", StudyChoices.Words<AllocationRule>())}.");
            var r = e.Replicates;

            var declared = study.Inputs.Where(i => i.ReplicateWeights.Count > 0).ToList();
            if (declared.Count > 0 && r.Convert != ReplicateConversionKind.Auto)
                throw Error(At("estimation.replicates.convert"), $"the inputs declare replicate weights, which are the study's design, but convert is '{StudyChoices.Word(r.Convert)}'.", "Remove 'convert' (the declared replicates are used) or the inputs' replicate_weights.");
            if (r.Method == ReplicateMethod.Fay && r.Rho is not (>= 0 and < 1))
                throw Error(At("estimation.replicates.rho"), "Fay replicate weights need rho in [0, 1).", "E.g. rho: 0.5.");
            if (r.Method == ReplicateMethod.Jkn && r.Rscales.Count == 0)
                throw Error(At("estimation.replicates.rscales"), "JKn replicate weights need rscales ((n_h − 1)/n_h per replicate), as R survey does.", "List one number per replicate column.");
            if (r.Rscales.Any(v => !(v >= 0) || !double.IsFinite(v)))
                throw Error(At("estimation.replicates.rscales"), "rscales must be finite numbers ≥ 0.");
            if (r.Scale is { } scale && !(scale >= 0 && double.IsFinite(scale)))
                throw Error(At("estimation.replicates.scale"), "scale must be a finite number ≥ 0.");
            if (r.BootstrapReplicates < 2)
                throw Error(At("estimation.replicates.bootstrap_replicates"), "bootstrap_replicates must be at least 2.", "E.g. 100.");
            ValidateCalibration();
        }

        /// <summary>
        /// <c>estimation.calibration</c>: bounds and trimming as quick mode checks them, and one margins file per survey
        /// country inside the study folder (its rows are checked against the data when the design is built).
        /// </summary>
        private void ValidateCalibration()
        {
            if (study.Estimation.Calibration is not { } c) return;
            const string key = "estimation.calibration";
            (double, double)? Pair(string name, IReadOnlyList<double> values) => values.Count switch
            {
                0 => null,
                2 => (values[0], values[1]),
                _ => throw Error(At($"{key}.{name}"), $"{name} must be two numbers [L, U].", $"E.g. {name}: [0.5, 2]."),
            };
            var bounds = Pair("bounds", c.Bounds);
            if (Calibration.ProblemWith(c.Calfun, bounds, Pair("trim", c.Trim)) is { } problem)
            {
                // Point at the key at fault: the trimming when the bounds alone are fine, else the bounds (or calfun when logit has none).
                var at = Calibration.ProblemWith(c.Calfun, bounds, null) is null ? "trim" : c.Bounds.Count > 0 ? "bounds" : "calfun";
                throw Error(At($"{key}.{at}"), problem);
            }
            var surveyCountries = study.Inputs.Where(i => i.Kind == InputKind.Survey && i.Constants.TryGetValue("country", out _))
                .Select(i => i.Constants["country"]).Distinct(StringComparer.Ordinal).ToList();
            if (c.Margins.Count == 0)
                throw Error(At(key + ".margins"), "calibration names no margins file.", "Write e.g. 'margins: {KZ: parameters/kz-margins.csv}' (columns variable,level,total), one file per survey country.");
            var full = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (country, path) in c.Margins)
            {
                var at = $"{key}.margins.{country}";
                if (study.Countries.All(s => s.Code != country))
                    throw Error(KeyAt(at), $"'{MessageText.Excerpt(country)}' is not a country of the study.", $"Use one of: {string.Join(", ", study.Countries.Select(s => s.Code))}.");
                if (string.IsNullOrWhiteSpace(path))
                    throw Error(At(at), "the margins file is not named.", "Write the path of a variable,level,total file.");
                full[country] = study.ResolvePath(path);
                Confine(at, path, full[country]);
                if (!File.Exists(full[country]))
                    throw Error(At(at), $"the margins file '{MessageText.Excerpt(path)}' does not exist (looked for {full[country]}).", "Paths are relative to the study file's folder.");
                RegularFile(at, path, full[country]);
            }

            foreach (var country in surveyCountries.Where(s => !c.Margins.ContainsKey(s)))
                throw Error(At(key + ".margins"), $"the survey country {MessageText.Excerpt(country)} has no margins file; every survey country is calibrated.", $"Add '{MessageText.Excerpt(country)}: <path>' to the margins.");
            c.MarginsFullPaths = full;
        }

        private void ValidateIndex()
        {
            if (study.Index is not { } index) return;
            if (string.IsNullOrWhiteSpace(index.Framework))
                throw Error(At("index.framework"), "the index section names no framework file.", "Write 'framework: parameters/vci-framework.csv' (columns indicator,pillar,direction,lower,upper,weight).");
            index.FrameworkFullPath = study.ResolvePath(index.Framework);
            Confine("index.framework", index.Framework, index.FrameworkFullPath);
            if (!File.Exists(index.FrameworkFullPath))
                throw Error(At("index.framework"), $"the framework '{index.Framework}' {SpecialFiles.Absence(index.FrameworkFullPath)} (looked for {index.FrameworkFullPath}).", "Paths are relative to the study file's folder.");
            RegularFile("index.framework", index.Framework, index.FrameworkFullPath);
            if (index.MinCoverage is < 0 or > 1 || double.IsNaN(index.MinCoverage))
                throw Error(At("index.min_coverage"), "min_coverage must be between 0 and 1.");
            if (index.MinPillarCoverage is < 0 or > 1 || double.IsNaN(index.MinPillarCoverage))
                throw Error(At("index.min_pillar_coverage"), "min_pillar_coverage must be between 0 and 1.");
            var u = index.Uncertainty;
            if (u.Runs is < 0 or > 1_000_000)
                throw Error(At("index.uncertainty.runs"), "runs must be between 0 and 1,000,000.", "500 runs give rank intervals stable to about one rank; 0 publishes none.");
            if (!(u.WeightNoise >= 0 && u.WeightNoise < 1))
                throw Error(At("index.uncertainty.weight_noise"), "weight_noise must be at least 0 and below 1 (a share of each weight).", "E.g. 0.25 for ±25 %.");
            if (u.Runs > 0 && u.Normalisations.Count == 0)
                throw Error(At("index.uncertainty.normalisations"), "the uncertainty analysis needs at least one normalisation.", "E.g. normalisations: [bounded, minmax].");
        }

        private void ValidateReferencePeriod()
        {
            var period = study.ReferencePeriod;
            if (period.LengthDays is < 1 or > 366)
                throw Error(At("reference_period.length_days"), string.Create(CultureInfo.InvariantCulture, $"length_days {period.LengthDays} is outside 1–366."), "The ILO module uses four weeks: 28.");
            if (!(period.AnnualisationFactor > 0))
                throw Error(At("reference_period.annualisation_factor"), "annualisation_factor must be greater than 0.", "Four weeks: 13 (52/4); a month: 12; a year: 1.");
        }

        private void ValidateInputs()
        {
            if (study.Inputs.Count == 0)
                throw Error(At("inputs"), "the study has no inputs.", "Add at least one entry under 'inputs:' with name, kind, path and columns.");
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < study.Inputs.Count; i++)
            {
                var input = study.Inputs[i];
                var p = string.Create(CultureInfo.InvariantCulture, $"inputs[{i}]");
                input.Index = i;
                if (string.IsNullOrWhiteSpace(input.Name))
                    throw Error(At(p + ".name"), string.Create(CultureInfo.InvariantCulture, $"input {i + 1} has no 'name'."), "Name each input, e.g. 'name: lfs-2023'.");
                if (!names.Add(input.Name))
                    throw Error(At(p + ".name"), $"two inputs are named '{input.Name}'.", "Give each input its own name.");

                if (string.IsNullOrWhiteSpace(input.Path))
                    throw Error(At(p + ".path"), $"input '{input.Name}' has no 'path'.", "Give the data file's path, relative to the study file.");
                input.FullPath = study.ResolvePath(input.Path);
                Confine(p + ".path", input.Path, input.FullPath);
                if (!File.Exists(input.FullPath))
                {
                    throw Error(At(p + ".path"), $"input '{input.Name}' names '{input.Path}', which {SpecialFiles.Absence(input.FullPath)} (looked for {input.FullPath}).",
                        "Paths are relative to the study file's folder.");
                }

                if (SpecialFiles.Describe(input.FullPath) is { } kind)
                    throw Error(At(p + ".path"), $"input '{input.Name}' names '{input.Path}', which is {kind}, not a data file.", "Inputs must be regular files.");

                if (input.Format is { } format && !string.IsNullOrWhiteSpace(format))
                    Choice(p + ".format", "format", format, TabularOptions.FormatChoices);
                Choice(p + ".encoding", "encoding", TabularOptions.Normalise(input.Encoding), TabularOptions.EncodingChoices);
                Choice(p + ".delimiter", "delimiter", TabularOptions.Normalise(input.Delimiter), TabularOptions.DelimiterChoices);
                Choice(p + ".decimal", "decimal", TabularOptions.Normalise(input.Decimal), TabularOptions.DecimalChoices);
                Choice(p + ".thousands", "thousands", TabularOptions.Normalise(input.Thousands), TabularOptions.ThousandsChoices);
                var declaredDecimal = TabularOptions.Normalise(input.Decimal);
                var declaredThousands = TabularOptions.Normalise(input.Thousands);
                if (declaredDecimal == declaredThousands)
                    throw Error(At(p + ".thousands"), $"the decimal and thousands separators are both '{input.Decimal}'.", "Declare different separators.");

                if (input.AnnualisationFactor is { } factor && !(factor > 0))
                    throw Error(At(p + ".annualisation_factor"), "annualisation_factor must be greater than 0.", "Use 1 for a log that covers the whole year.");

                ValidateColumns(input, p);
                ValidateCodes(input, p);
                ValidateConstants(input, p);
            }
        }

        private void ValidateColumns(InputSpec input, string p)
        {
            foreach (var (field, header) in input.Columns)
            {
                if (!CanonicalFields.All.Contains(field))
                {
                    throw Error(KeyAt($"{p}.columns.{field}"), $"'{field}' in the columns of input '{input.Name}' is not a canonical field;",
                        NameSuggestions.Hint(field, [.. CanonicalFields.All]));
                }

                if (string.IsNullOrWhiteSpace(header))
                    throw Error(At($"{p}.columns.{field}"), $"column '{field}' of input '{input.Name}' names no header.", "Write the header of the file's column after the colon.");
                if (input.Constants.ContainsKey(field))
                    throw Error(At($"{p}.constants.{field}"), $"'{field}' of input '{input.Name}' is both mapped to a column and given a constant.", "Keep one of them.");
            }

            if (input.Kind == InputKind.HourLog)
            {
                foreach (var design in (string[])[CanonicalFields.Weight, CanonicalFields.Strata, CanonicalFields.Psu, CanonicalFields.Fpc])
                {
                    if (input.Columns.ContainsKey(design) || input.Constants.ContainsKey(design))
                        throw Error(KeyAt($"{p}.{(input.Columns.ContainsKey(design) ? "columns" : "constants")}.{design}"),
                            $"input '{input.Name}' is an hour log, whose entries all have weight 1 and no sample design, so '{design}' cannot be mapped.",
                            "Remove it, or declare kind: survey.");
                }
            }

            var required = StudyLoader.RequiredFields(input.Kind);
            foreach (var field in required)
            {
                if (!input.Columns.ContainsKey(field) && !(field != CanonicalFields.PersonId && input.Constants.ContainsKey(field)))
                {
                    throw Error(At($"{p}.columns"), $"input '{input.Name}' ({StudyChoices.Word(input.Kind)}) maps no column to '{field}'.",
                        field == CanonicalFields.Weight
                            ? "A survey needs its sampling weight column (columns: weight: <header>)."
                            : $"Add 'columns: {field}: <header>'.");
                }
            }

            for (var i = 0; i < input.ReplicateWeights.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(input.ReplicateWeights[i]))
                    throw Error(At(string.Create(CultureInfo.InvariantCulture, $"{p}.replicate_weights[{i}]")), "a replicate-weight entry is empty.", "Write a header or a wildcard pattern such as 'repw*'.");
            }

            if (input.Kind == InputKind.HourLog && input.ReplicateWeights.Count > 0)
                throw Error(At($"{p}.replicate_weights"), $"input '{input.Name}' is an hour log, which has no replicate weights.", "Remove replicate_weights, or declare kind: survey.");
        }

        private void ValidateCodes(InputSpec input, string p)
        {
            foreach (var (field, categories) in input.Codes)
            {
                if (!CategoryCodes.Fields.Contains(field))
                {
                    throw Error(KeyAt($"{p}.codes.{field}"), $"'{field}' in the codes of input '{input.Name}' is not a categorical field;",
                        NameSuggestions.Hint(field, [.. CategoryCodes.Fields]));
                }

                var valid = CategoryCodes.CategoriesOf(field);
                var seenCodes = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (category, codes) in categories)
                {
                    var normalised = CategoryCodes.NormaliseCategory(field, category);
                    if (!valid.Contains(normalised))
                    {
                        throw Error(KeyAt($"{p}.codes.{field}.{category}"), $"'{category}' is not a category of {field};",
                            NameSuggestions.Hint(category, valid.ToList()));
                    }

                    foreach (var code in codes)
                    {
                        var key = CategoryCodes.NormaliseCode(code);
                        if (seenCodes.TryGetValue(key, out var other) && other != normalised)
                            throw Error(At($"{p}.codes.{field}.{category}"), $"code '{code}' of {field} is given to both '{other}' and '{normalised}'.", "Give each code one category.");
                        seenCodes[key] = normalised;
                    }
                }
            }
        }

        private void ValidateConstants(InputSpec input, string p)
        {
            foreach (var (field, value) in input.Constants)
            {
                if (!CanonicalFields.All.Contains(field))
                {
                    throw Error(KeyAt($"{p}.constants.{field}"), $"'{field}' in the constants of input '{input.Name}' is not a canonical field;",
                        NameSuggestions.Hint(field, [.. CanonicalFields.All]));
                }

                if (field == CanonicalFields.PersonId)
                    throw Error(KeyAt($"{p}.constants.{field}"), "person_id cannot be a constant.", "Map it to the file's respondent or volunteer id column.");
                var problem = FieldValueParser.CheckConstant(field, value, input);
                if (problem is not null) throw Error(At($"{p}.constants.{field}"), $"constant {field} '{value}' of input '{input.Name}' is invalid: {problem}");
            }
        }

        private void ValidateValuation()
        {
            var v = study.Valuation;
            if (v.OnCostUplift is < 0 or > 2 || double.IsNaN(v.OnCostUplift))
                throw Error(At("valuation.on_cost_uplift"), "on_cost_uplift must be between 0 and 2 (a share of the wage).", "E.g. 0.157 for 15.7 % employer on-costs.");
            if (v.OpportunityCostShare is <= 0 or > 1 || double.IsNaN(v.OpportunityCostShare))
                throw Error(At("valuation.opportunity_cost_share"), "opportunity_cost_share must be greater than 0 and at most 1.", "Brown (1999) suggests 1/2 to 6/7 of the average wage.");
            for (var i = 0; i < v.HybridGeneralistMajorGroups.Count; i++)
            {
                var group = v.HybridGeneralistMajorGroups[i].Trim();
                if (group.Length != 1 || !char.IsAsciiDigit(group[0]))
                    throw Error(At(string.Create(CultureInfo.InvariantCulture, $"valuation.hybrid_generalist_major_groups[{i}]")), $"'{group}' is not an ISCO-08 major group (one digit, 0–9).");
            }
        }

        private void ValidateCountries()
        {
            var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < study.Countries.Count; i++)
            {
                var country = study.Countries[i];
                var p = string.Create(CultureInfo.InvariantCulture, $"countries[{i}]");
                if (country.Code.Length != 2 || !country.Code.All(char.IsAsciiLetterUpper))
                    throw Error(At(p + ".code"), $"'{country.Code}' is not an ISO 3166-1 alpha-2 country code.", "E.g. KZ, KG, TJ, UZ.");
                if (!codes.Add(country.Code))
                    throw Error(At(p + ".code"), $"country {country.Code} appears twice.", "Keep one entry per country.");
                if (country.Currency.Length != 3 || !country.Currency.All(char.IsAsciiLetterUpper))
                    throw Error(At(p + ".currency"), $"'{country.Currency}' is not an ISO 4217 currency code.", "E.g. KZT, KGS, TJS, UZS.");
                if (country.Wages is { } wages && !string.IsNullOrWhiteSpace(wages))
                {
                    country.WagesFullPath = study.ResolvePath(wages);
                    Confine(p + ".wages", wages, country.WagesFullPath);
                    if (!File.Exists(country.WagesFullPath))
                        throw Error(At(p + ".wages"), $"the wage table '{wages}' of {country.Code} {SpecialFiles.Absence(country.WagesFullPath)} (looked for {country.WagesFullPath}).", "Paths are relative to the study file's folder.");
                    RegularFile(p + ".wages", wages, country.WagesFullPath);
                }

                Positive(p + ".generalist_wage", country.GeneralistWage);
                Positive(p + ".average_hourly_wage", country.AverageHourlyWage);
                Positive(p + ".minimum_hourly_wage", country.MinimumHourlyWage);
                Positive(p + ".full_time_annual_hours", country.FullTimeAnnualHours);
                Positive(p + ".lcu_per_usd", country.LcuPerUsd);
                Positive(p + ".lcu_per_ppp_dollar", country.LcuPerPppDollar);
                Positive(p + ".gdp", country.Gdp);
                Positive(p + ".population_15_plus", country.Population15Plus);
                for (var j = 0; j < country.Cpi.Count; j++)
                {
                    if (!(country.Cpi[j].Index > 0))
                        throw Error(At(string.Create(CultureInfo.InvariantCulture, $"{p}.cpi[{j}].index")), "a CPI index must be greater than 0.");
                }

                if (country.Cpi.GroupBy(c => c.Year).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
                    throw Error(At(p + ".cpi"), string.Create(CultureInfo.InvariantCulture, $"the CPI of {country.Code} has year {duplicate.Key} twice."));
            }
        }

        private void Positive(string keyPath, SourcedValue? value)
        {
            if (value is null) return;
            if (!(value.Value > 0) || !double.IsFinite(value.Value))
                throw Error(At(keyPath + ".value"), $"{keyPath.Split('.')[^1]} must be greater than 0.");
        }

        private void ValidateChecks()
        {
            var c = study.Checks;
            if (c.RejectionTolerance is < 0 or > 1 || double.IsNaN(c.RejectionTolerance))
                throw Error(At("checks.rejection_tolerance"), "rejection_tolerance must be between 0 and 1 (a share of rows).", "E.g. 0.01 tolerates 1 % of rows rejected.");
            if (c.MinimumHours is < 0 || double.IsNaN(c.MinimumHours))
                throw Error(At("checks.minimum_hours"), "minimum_hours cannot be negative.", "The 19th ICLS uses one hour.");
            if (c.PaidStipendShare is <= 0 or > 1 || double.IsNaN(c.PaidStipendShare))
                throw Error(At("checks.paid_stipend_share"), "paid_stipend_share must be greater than 0 and at most 1.", "The 19th ICLS uses one third.");
            if (c.MinimumAge is < 0 or > 120)
                throw Error(At("checks.minimum_age"), "minimum_age must be between 0 and 120.");
        }

        private void ValidateCoding()
        {
            var coding = study.Coding;
            if (coding.Threshold is { } threshold && (threshold is < 0 or > 1 || double.IsNaN(threshold)))
                throw Error(At("coding.threshold"), "threshold must be between 0 and 1 (a probability).", "Leave it out to use the model's recorded ISCO review threshold, chosen to hold 95 % accuracy on the codes it accepts (contrib classify calibrate).");
            if (coding.SdgThreshold is { } sdgThreshold && (sdgThreshold is < 0 or > 1 || double.IsNaN(sdgThreshold)))
                throw Error(At("coding.sdg_threshold"), "sdg_threshold must be between 0 and 1 (a probability).", "Leave it out to use the model's recorded SDG review threshold.");
            if (!string.IsNullOrWhiteSpace(coding.Model)) Confine("coding.model", coding.Model, study.ResolvePath(coding.Model));
            if (!string.IsNullOrWhiteSpace(coding.Model) && !File.Exists(study.ResolvePath(coding.Model)))
                throw Error(At("coding.model"), $"the coding model '{coding.Model}' {SpecialFiles.Absence(study.ResolvePath(coding.Model))}.", "Give the path of a model saved by 'contrib classify train --out MODEL.zip', relative to the study file, or leave 'model' out to use the embedded model.");
        }

        private void Choice(string keyPath, string name, string value, IReadOnlyList<string> choices)
        {
            if (choices.Contains(value)) return;
            var nearest = NameSuggestions.Nearest(value, choices);
            throw Error(At(keyPath), $"'{value}' is not a valid {name};",
                nearest is not null ? $"did you mean '{nearest}'? Valid: {string.Join(", ", choices)}." : $"valid: {string.Join(", ", choices)}.");
        }
    }
}
