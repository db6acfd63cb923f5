using System.Text.RegularExpressions;

namespace Mindspace.Grains.Records;

/// <summary>The rule for record table names: they are spliced into SQL, so only plain lower-case identifiers pass.</summary>
public static partial class RecordTables
{
    /// <summary>A lower-case letter, then up to 62 lower-case letters, digits or underscores.</summary>
    public static bool IsValidName(string? table) => table is not null && TableName().IsMatch(table);

    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static string Require(string table)
        => IsValidName(table) ? table : throw new ArgumentException($"'{table}' is not a record table name (a-z, 0-9 and _, starting with a letter, at most 63).", nameof(table));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();
}
