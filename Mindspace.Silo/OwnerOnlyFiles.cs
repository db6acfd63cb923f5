namespace Mindspace.Silo;

/// <summary>
/// Embedded data (journals, moods, signing keys) is readable by the service's own user only:
/// every file and folder under <c>DATA_DIR</c> is created through here, whichever piece needs it first.
/// </summary>
public static class OwnerOnlyFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory and any missing parents as 0700; existing ones are left as they are.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // .NET gives the mode to the last directory only: missing parents would get 0777 less the umask.
        var missing = new Stack<string>();
        for (var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)); !string.IsNullOrEmpty(directory) && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
        {
            missing.Push(directory);
        }

        foreach (var directory in missing)
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
    }

    /// <summary>Options that create a new file as 0600 (fails if it exists).</summary>
    public static FileStreamOptions NewFile() => OperatingSystem.IsWindows()
        ? new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write }
        : new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode };

    /// <summary>
    /// Creates an empty file as 0600 unless it exists. SQLite gives its -wal and -shm files the
    /// mode of the database file, so creating the database this way keeps all three private.
    /// </summary>
    public static void EnsureFile(string path)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using var _ = new FileStream(path, NewFile());
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }
}
