using Mindspace.Silo.Storage.Postgres;
using Npgsql;

namespace Mindspace.Storage.Tests.Postgres;

public sealed class PostgresConnectionStringTests
{
    private const string Secret = "s3cr3t-Pa55";

    [Fact]
    public void The_storage_pool_skips_the_reset_and_prepares_statements_unless_the_connection_string_says_otherwise()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned("Host=db;Username=u"));
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(32, tuned.MaxAutoPrepare);

        var explicitSettings = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned("Host=db;Username=u;No Reset On Close=false;Max Auto Prepare=0"));
        Assert.False(explicitSettings.NoResetOnClose);
        Assert.Equal(0, explicitSettings.MaxAutoPrepare);
    }

    [Fact]
    public void A_postgres_url_becomes_an_equivalent_Npgsql_connection_string()
    {
        var normalized = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize($"postgres://mindspace:{Secret}@db.internal:6543/mindspace_prod?sslmode=require"));

        Assert.Equal("db.internal", normalized.Host);
        Assert.Equal(6543, normalized.Port);
        Assert.Equal("mindspace", normalized.Username);
        Assert.Equal(Secret, normalized.Password);
        Assert.Equal("mindspace_prod", normalized.Database);
        Assert.Equal(SslMode.Require, normalized.SslMode);
    }

    [Fact]
    public void The_postgresql_scheme_is_accepted_too()
    {
        var normalized = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("postgresql://app@localhost:5433/app"));

        Assert.Equal("localhost", normalized.Host);
        Assert.Equal(5433, normalized.Port);
        Assert.Equal("app", normalized.Username);
        Assert.Null(normalized.Password);
    }

    [Fact]
    public void An_escaped_user_name_and_password_are_unescaped()
    {
        var normalized = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("postgres://team%40mindspace:p%40ss%3Aw%2Fo%23rd%20x@localhost/app"));

        Assert.Equal("team@mindspace", normalized.Username);
        Assert.Equal("p@ss:w/o#rd x", normalized.Password);
    }

    [Fact]
    public void The_port_defaults_to_5432()
    {
        var normalized = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize($"postgres://app:{Secret}@db/app"));

        Assert.Equal(5432, normalized.Port);
        Assert.Equal("db", normalized.Host);
    }

    [Fact]
    public void An_IPv6_host_loses_its_brackets()
    {
        var normalized = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("postgres://app@[::1]:5544/app"));

        Assert.Equal("::1", normalized.Host);
        Assert.Equal(5544, normalized.Port);
    }

    [Fact]
    public void Libpq_query_options_map_to_Npgsql_settings()
    {
        var normalized = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("postgres://app@db/app?sslmode=verify-full&application_name=silo%201&connect_timeout=7"));

        Assert.Equal(SslMode.VerifyFull, normalized.SslMode);
        Assert.Equal("silo 1", normalized.ApplicationName);
        Assert.Equal(7, normalized.Timeout);
    }

    [Fact]
    public void A_plain_connection_string_is_returned_as_is()
    {
        const string connectionString = "Host=localhost;Port=5432;Username=app;Password=pw;Database=app";

        Assert.Same(connectionString, PostgresConnectionString.Normalize(connectionString));
    }

    [Theory]
    [InlineData($"postgres://app:{Secret}@/app")]
    [InlineData($"postgres://app:{Secret}@db:notaport/app")]
    [InlineData($"postgres://app:{Secret}@db:5432/app/extra")]
    [InlineData($"postgres://app:{Secret}@db:5432/app?sslmode=sometimes")]
    [InlineData($"postgres://app:{Secret}@db:5432/app?no_such_option=1")]
    [InlineData($"mysql://app:{Secret}@db:3306/app")]
    [InlineData($"Host=db;Password={Secret};No Such Keyword=1")]
    [InlineData($"Host=db;Password={Secret};Port=http")]
    [InlineData($"Password={Secret};Database=app")]
    [InlineData($"this is not a connection string {Secret}")]
    [InlineData("   ")]
    public void A_malformed_value_throws_an_ArgumentException_that_does_not_reveal_the_password(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.Normalize(value));

        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
