using ContributionIndex.Diagnostics;
using PdfSharp.Fonts;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>No font with Cyrillic and Kazakh letters was found in the usual font directories.</summary>
public sealed class FontNotFoundException : ContributionIndexException
{
    /// <summary>Creates the exception naming the fonts and directories searched.</summary>
    public FontNotFoundException(IReadOnlyList<string> families, IReadOnlyList<string> directories)
        : base($"No font for the PDF annex was found: looked for {string.Join(", ", families)} in {string.Join(", ", directories)}; install one (Debian/Ubuntu: apt-get install -y fonts-dejavu-core) or set CONTRIB_FONT_DIR to a directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.")
    {
        Families = families;
        Directories = directories;
    }

    /// <summary>The font families looked for, in order of preference.</summary>
    public IReadOnlyList<string> Families { get; }

    /// <summary>The directories searched.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <inheritdoc />
    public override FailureKind Kind => FailureKind.Usage;
}

/// <summary>A font family found on disk: the regular and (optional) bold TrueType files.</summary>
/// <param name="Family">Family name (e.g. "DejaVu Sans").</param>
/// <param name="RegularPath">Path of the regular face.</param>
/// <param name="BoldPath">Path of the bold face, or null to simulate bold.</param>
public sealed record FontFaces(string Family, string RegularPath, string? BoldPath);

/// <summary>
/// Finds a sans-serif TrueType family that covers Cyrillic and the Kazakh letters (ә ғ қ ң ө ұ ү һ і) in the usual
/// font directories of Linux, Windows and macOS, preferring DejaVu Sans, then Noto Sans, Liberation Sans and Arial.
/// </summary>
public static class FontLocator
{
    /// <summary>Candidate families in order of preference, with regular and bold file names.</summary>
    internal static readonly (string Family, string[] Regular, string[] Bold)[] Candidates =
    [
        ("DejaVu Sans", ["DejaVuSans.ttf"], ["DejaVuSans-Bold.ttf"]),
        ("Noto Sans", ["NotoSans-Regular.ttf"], ["NotoSans-Bold.ttf"]),
        ("Liberation Sans", ["LiberationSans-Regular.ttf"], ["LiberationSans-Bold.ttf"]),
        ("Arial", ["arial.ttf", "Arial.ttf"], ["arialbd.ttf", "Arial Bold.ttf"]),
    ];

    /// <summary>The directories searched, in order: <c>CONTRIB_FONT_DIR</c> first when set, then the platform's usual places.</summary>
    public static IReadOnlyList<string> SearchDirectories()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var list = new List<string>();
        var custom = Environment.GetEnvironmentVariable("CONTRIB_FONT_DIR");
        if (!string.IsNullOrWhiteSpace(custom)) list.Add(custom);
        if (OperatingSystem.IsWindows())
        {
            list.Add(Environment.GetFolderPath(Environment.SpecialFolder.Fonts));
            list.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Microsoft", "Windows", "Fonts"));
        }
        else if (OperatingSystem.IsMacOS())
        {
            list.AddRange(["/Library/Fonts", "/System/Library/Fonts", "/System/Library/Fonts/Supplemental", Path.Combine(home, "Library", "Fonts")]);
        }
        else
        {
            list.AddRange(["/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".local", "share", "fonts"), Path.Combine(home, ".fonts")]);
        }

        return list.Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Finds the preferred family in the given directories (searched recursively).</summary>
    /// <exception cref="FontNotFoundException">None of the candidate families is present.</exception>
    public static FontFaces Find(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories.Where(Directory.Exists))
        {
            IEnumerable<string> found;
            try
            {
                found = Directory.EnumerateFiles(directory, "*.ttf", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive })
                    .Order(StringComparer.Ordinal);
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var file in found) files.TryAdd(Path.GetFileName(file), file);
        }

        foreach (var (family, regular, bold) in Candidates)
        {
            var regularPath = regular.Select(n => files.GetValueOrDefault(n)).FirstOrDefault(p => p is not null);
            if (regularPath is null) continue;
            var boldPath = bold.Select(n => files.GetValueOrDefault(n)).FirstOrDefault(p => p is not null);
            return new FontFaces(family, regularPath, boldPath);
        }

        throw new FontNotFoundException(Candidates.Select(c => c.Family).ToArray(), directories);
    }
}

/// <summary>
/// The PDFsharp font resolver of the annex: every family request resolves to the located faces, so the output never
/// depends on PDFsharp's platform resolver (which differs between Windows and Linux).
/// </summary>
internal sealed class AnnexFontResolver : IFontResolver
{
    public const string FamilyName = "ContributionIndex Sans";
    private const string RegularFace = "ci-regular";
    private const string BoldFace = "ci-bold";

    private static readonly object Gate = new();
    private static AnnexFontResolver? _installed;

    private readonly byte[] _regular;
    private readonly byte[]? _bold;

    private AnnexFontResolver(FontFaces faces)
    {
        Faces = faces;
        _regular = File.ReadAllBytes(faces.RegularPath);
        _bold = faces.BoldPath is null ? null : File.ReadAllBytes(faces.BoldPath);
    }

    public FontFaces Faces { get; }

    /// <summary>Installs the resolver once per process (PDFsharp allows setting it only before the first font is used).</summary>
    public static AnnexFontResolver Install()
    {
        lock (Gate)
        {
            if (_installed is not null) return _installed;
            var resolver = new AnnexFontResolver(FontLocator.Find(FontLocator.SearchDirectories()));
            GlobalFontSettings.FontResolver = resolver;
            _installed = resolver;
            return resolver;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (bold && _bold is not null) return new FontResolverInfo(BoldFace, false, italic);
        return new FontResolverInfo(RegularFace, bold, italic);
    }

    public byte[]? GetFont(string faceName) => faceName == BoldFace ? _bold : _regular;
}
