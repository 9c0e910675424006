using System.Runtime.InteropServices;

namespace ContributionIndex.Diagnostics;

/// <summary>
/// Tells regular files from named pipes, devices and sockets, which every reader refuses: a FIFO blocks the open (the
/// run hangs) and <c>/dev/zero</c> never ends. .NET reports all of them as ordinary files, so the kind comes from
/// <c>stat</c> (the runtime's own <c>SystemNative_Stat</c>, which follows symbolic links).
/// </summary>
public static partial class SpecialFiles
{
    private const int TypeMask = 0xF000;

    /// <summary>
    /// Why a path that is not a file cannot be read, to finish "the X …": <c>"is a folder, not a file"</c> when it is a
    /// folder (it used to be reported as "does not exist"), else <c>"does not exist"</c>.
    /// </summary>
    public static string Absence(string path) => Directory.Exists(path) ? "is a folder, not a file" : "does not exist";

    /// <summary>
    /// What a path is when it is not a regular file or a folder (<c>"a named pipe (FIFO)"</c>, <c>"a character
    /// device"</c>, <c>"a block device"</c>, <c>"a socket"</c>), or <see langword="null"/> for a regular file, a folder,
    /// a missing path or a platform without <c>stat</c>.
    /// </summary>
    public static string? Describe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || path.Contains('\0', StringComparison.Ordinal)) return null;
        // FileStatus { int Flags; int Mode; ... }: the buffer is larger than the runtime's structure.
        var buffer = new byte[512];
        int result;
        try
        {
            result = Stat(path, buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (result != 0) return null;
        var mode = BitConverter.ToInt32(buffer, 4);
        return (mode & TypeMask) switch
        {
            0x1000 => "a named pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => null,
        };
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] output);
}
