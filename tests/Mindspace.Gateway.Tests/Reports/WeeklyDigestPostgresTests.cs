using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Silo;
using Npgsql;

namespace Mindspace.Gateway.Tests.Reports;

/// <summary>Cluster mode: digests are rows in PostgreSQL and the reminder is in Orleans' AdoNet reminder table.</summary>
public sealed class WeeklyDigestPostgresTests
{
    [Fact]
    public async Task On_PostgreSQL_a_digest_is_stored_served_exported_and_erased_with_its_reminder()
    {
        await using var host = await MindspaceTestHost.StartOnPostgresAsync();
        var user = await host.RegisterAndLoginAsync(timeZone: "Australia/Sydney");
        var digests = host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);

        var written = await digests.RunDueAsync(); // what the reminder does; with nothing yet written, last week's is due
        Assert.NotNull(written);
        Assert.Equal(1, await ReminderRowsAsync(host, user.UserId));

        var latest = await user.Client.GetJsonAsync("/api/v1/reports/weekly/latest");
        Assert.Equal(written.WeekStart.ToString("yyyy-MM-dd"), latest.GetProperty("weekStart").GetString());
        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal(1, export.GetProperty("reports").GetProperty("weeklyDigests").GetArrayLength());

        var deleted = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await digests.GetLatestAsync());
        Assert.Equal(0, await ReminderRowsAsync(host, user.UserId));
    }

    private static async Task<long> ReminderRowsAsync(MindspaceTestHost host, Guid userId)
    {
        var settings = host.Services.GetRequiredService<SiloSettings>();
        await using var dataSource = NpgsqlDataSource.Create(settings.DatabaseUrl!);
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM orleansreminderstable WHERE remindername = 'weekly-digest' AND (grainid LIKE $1 OR grainid LIKE $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = $"%{userId:N}%" });
        command.Parameters.Add(new NpgsqlParameter { Value = $"%{userId:D}%" });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
