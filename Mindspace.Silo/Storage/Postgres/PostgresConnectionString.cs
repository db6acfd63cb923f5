using Npgsql;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Turns a <c>DATABASE_URL</c> into an Npgsql connection string. Accepts the URL form
/// <c>postgres://user:password@host:port/database?sslmode=require</c> (or <c>postgresql://</c>;
/// user and password URL-escaped; port 5432 when absent) and a plain Npgsql connection string,
/// which is validated and returned unchanged.
/// </summary>
/// <remarks>Error messages never repeat the input, so a password can never leak into a log.</remarks>
public static class PostgresConnectionString
{
    public const int DefaultPort = 5432;

    /// <exception cref="ArgumentException">The value is neither a valid URL nor a valid connection string.</exception>
    public static string Normalize(string databaseUrl)
    {
        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            throw new ArgumentException("The database URL is empty.", nameof(databaseUrl));
        }

        var text = databaseUrl.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var firstEquals = text.IndexOf('=', StringComparison.Ordinal);
        var isUrl = schemeEnd > 0 && (firstEquals < 0 || schemeEnd < firstEquals);
        if (!isUrl)
        {
            ValidateConnectionString(text);
            return databaseUrl;
        }

        return FromUrl(text, text[..schemeEnd]);
    }

    /// <summary>
    /// Pool settings for our record tables, a few fixed statements run very often: no
    /// <c>DISCARD ALL</c> when a connection goes back to the pool (the stores leave no session state
    /// on pooled connections), and the frequent statements prepared once per connection. Settings
    /// given explicitly win.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        // Npgsql's own builder reports every known keyword as present, so ask a plain one what was written.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }

    private static string FromUrl(string url, string scheme)
    {
        if (!scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            throw Malformed("the scheme must be postgres:// or postgresql://");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw Malformed("it is not a well-formed URL (are special characters in the user name or password URL-escaped?)");
        }

        var host = uri.IdnHost;
        if (string.IsNullOrEmpty(host))
        {
            throw Malformed("the host is missing");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = uri.Port > 0 ? uri.Port : DefaultPort,
        };

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? uri.UserInfo : uri.UserInfo[..separator];
            if (user.Length > 0)
            {
                builder.Username = Unescape(user, "user name");
            }

            if (separator >= 0)
            {
                builder.Password = Unescape(uri.UserInfo[(separator + 1)..], "password");
            }
        }

        var database = uri.AbsolutePath.TrimStart('/');
        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw Malformed("the path must be a single database name");
        }

        if (database.Length > 0)
        {
            builder.Database = Unescape(database, "database name");
        }

        ApplyQuery(builder, uri.Query);
        return builder.ConnectionString;
    }

    private static void ApplyQuery(NpgsqlConnectionStringBuilder builder, string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Unescape(equals < 0 ? pair : pair[..equals], "option name");
            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..], "option value");
            switch (name.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = ParseSslMode(value);
                    break;
                case "user":
                    builder.Username = value;
                    break;
                case "password":
                    builder.Password = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                        ? seconds
                        : throw Malformed("connect_timeout must be a whole number of seconds");
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "sslcert":
                    builder.SslCertificate = value;
                    break;
                case "sslkey":
                    builder.SslKey = value;
                    break;
                case "target_session_attrs":
                    builder.TargetSessionAttributes = value;
                    break;
                case "options":
                    builder.Options = value;
                    break;
                default:
                    // Anything else must be an Npgsql keyword ("Maximum Pool Size", "Timeout", ...).
                    try
                    {
                        builder[name] = value;
                    }
                    catch (Exception exception) when (IsBadSetting(exception))
                    {
                        throw Malformed($"the option '{name}' is unknown or has an invalid value");
                    }

                    break;
            }
        }
    }

    private static SslMode ParseSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw Malformed("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"),
    };

    private static void ValidateConnectionString(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (IsBadSetting(exception))
        {
            // Npgsql's message may quote part of the input; ours never does.
            throw new ArgumentException(
                "The database connection string is neither a postgres:// URL nor a valid Npgsql connection string (Key=Value pairs separated by ';', with known keywords and valid values).",
                "databaseUrl");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("The database connection string has no Host.", "databaseUrl");
        }
    }

    private static string Unescape(string value, string what)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            throw Malformed($"the {what} is not correctly URL-escaped");
        }
    }

    private static bool IsBadSetting(Exception exception) =>
        exception is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException;

    private static ArgumentException Malformed(string reason) =>
        new($"The database URL is malformed: {reason}. Expected postgres://user:password@host:port/database?sslmode=require.", "databaseUrl");
}
