using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.CheckIns;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Therapist;

/// <summary>Stored state of <see cref="TherapistGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.TherapistState")]
public sealed class TherapistState
{
    /// <summary>Newest activity first.</summary>
    [Id(0)]
    public List<ConversationSummary> Conversations { get; set; } = [];

    [Id(1)]
    public DateTimeOffset? NoticeAcknowledgedAt { get; set; }

    [Id(2)]
    public int NoticeVersion { get; set; }

    /// <summary>The user's local day <see cref="TokensToday"/> counts (yyyy-MM-dd, in the profile's zone when it was counted).</summary>
    [Id(3)]
    public string TokenDay { get; set; } = string.Empty;

    [Id(4)]
    public long TokensToday { get; set; }

    /// <summary>When the person allowed the companion to draw on their journal's signals; null: not allowed (the default).</summary>
    [Id(5)]
    public DateTimeOffset? JournalMemorySince { get; set; }
}

/// <summary>One remembered user message (a row of <c>therapist_memory</c>, keyed by time).</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.MemoryRow")]
public sealed record MemoryRow(Guid ConversationId, string Text, DateTimeOffset At);

/// <inheritdoc cref="ITherapistGrain"/>
/// <remarks>
/// Memory is this user's own rows only (the grain is keyed by the user), so recall can never reach
/// another user. Recall scores the newest <see cref="RecallScan"/> rows by shared words: simple,
/// bounded, good enough to bring back "my sister", "the exam", "Biscuit" from last week.
/// </remarks>
public sealed partial class TherapistGrain(
    [PersistentState("therapist")] IPersistentState<TherapistState> state,
    [RecordCollection("therapist_memory")] IRecordCollection<MemoryRow> memory,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ITherapistGrain
{
    private const int RecallScan = 1_000;
    private const int MaxRememberedLength = 600;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "about", "after", "again", "also", "because", "been", "before", "being", "could", "does", "doing", "don't", "from", "have", "having", "here", "into", "just", "know", "like", "more", "much", "really", "should", "some", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "today", "very", "want", "what", "when", "where", "which", "with", "would", "your", "feel", "feeling", "think", "going", "still", "even", "well", "only", "than", "were", "will", "it's", "i'm",
    };

    private readonly Queue<DateTimeOffset> _lastMinute = new();

    public Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync()
        => Task.FromResult<IReadOnlyList<ConversationSummary>>([.. state.State.Conversations]);

    public async Task<bool> AddConversationAsync(ConversationSummary conversation)
    {
        if (state.State.Conversations.Any(c => c.Id == conversation.Id))
        {
            return true;
        }

        if (state.State.Conversations.Count >= TherapistRules.MaxConversations)
        {
            return false;
        }

        state.State.Conversations.Insert(0, conversation);
        await state.WriteStateAsync();
        return true;
    }

    public async Task TouchConversationAsync(ConversationSummary conversation)
    {
        var index = state.State.Conversations.FindIndex(c => c.Id == conversation.Id);
        if (index < 0)
        {
            return;
        }

        state.State.Conversations.RemoveAt(index);
        state.State.Conversations.Insert(0, conversation);
        await state.WriteStateAsync();
    }

    public async Task RemoveConversationAsync(Guid conversationId)
    {
        if (state.State.Conversations.RemoveAll(c => c.Id == conversationId) > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<bool> HasConversationAsync(Guid conversationId)
        => Task.FromResult(state.State.Conversations.Any(c => c.Id == conversationId));

    public Task<DateTimeOffset?> NoticeAcknowledgedAtAsync()
        => Task.FromResult(state.State.NoticeVersion >= TherapistRules.NoticeVersion ? state.State.NoticeAcknowledgedAt : null);

    public async Task<DateTimeOffset> AcknowledgeNoticeAsync()
    {
        if (state.State.NoticeVersion < TherapistRules.NoticeVersion || state.State.NoticeAcknowledgedAt is null)
        {
            state.State.NoticeVersion = TherapistRules.NoticeVersion;
            state.State.NoticeAcknowledgedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
        }

        return state.State.NoticeAcknowledgedAt!.Value;
    }

    public Task<CompanionSettings> GetSettingsAsync() => Task.FromResult(Settings());

    public async Task<CompanionSettings> SetJournalMemoryAsync(bool on)
    {
        if (on != state.State.JournalMemorySince.HasValue)
        {
            state.State.JournalMemorySince = on ? clock.GetUtcNow() : null;
            await state.WriteStateAsync();
        }

        return Settings();
    }

    public async Task<UsageDecision> UseAsync(UsageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var now = clock.GetUtcNow();
        while (_lastMinute.Count > 0 && now - _lastMinute.Peek() >= TimeSpan.FromMinutes(1))
        {
            _lastMinute.Dequeue();
        }

        var withinRate = _lastMinute.Count < limits.MessagesPerMinute;
        if (withinRate)
        {
            _lastMinute.Enqueue(now);
        }

        var tokensToday = state.State.TokenDay == await TodayAsync() ? state.State.TokensToday : 0;
        return new UsageDecision(withinRate, tokensToday < limits.TokensPerDay, state.State.JournalMemorySince.HasValue);
    }

    public async Task AddTokensAsync(long tokens)
    {
        var today = await TodayAsync();
        if (state.State.TokenDay != today)
        {
            state.State.TokenDay = today;
            state.State.TokensToday = 0;
        }

        state.State.TokensToday += Math.Max(0, tokens);
        await state.WriteStateAsync();
    }

    public async Task RememberAsync(Guid conversationId, string text)
    {
        if (string.IsNullOrWhiteSpace(text) || Words(text).Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var trimmed = text.Trim();
        var row = new MemoryRow(conversationId, trimmed.Length > MaxRememberedLength ? trimmed[..MaxRememberedLength] : trimmed, now);
        await memory.PutAsync($"{now.UtcTicks:D19}-{Guid.CreateVersion7(now):N}", row);
    }

    public async Task<IReadOnlyList<MemorySnippet>> RecallAsync(string query, Guid excludeConversation, int limit)
    {
        var wanted = Words(query ?? string.Empty);
        if (wanted.Count == 0 || limit <= 0)
        {
            return [];
        }

        var rows = await memory.QueryAsync(new RecordQuery(Descending: true, Limit: RecallScan));
        return [.. rows
            .Where(r => r.Value.ConversationId != excludeConversation)
            .Select(r => (Row: r.Value, Score: Words(r.Value.Text).Count(wanted.Contains)))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ThenByDescending(s => s.Row.At)
            .Take(limit)
            .Select(s => new MemorySnippet(s.Row.ConversationId, s.Row.Text, s.Row.At))];
    }

    public async Task ForgetAsync(Guid conversationId)
    {
        string? after = null;
        while (true)
        {
            var batch = await memory.QueryAsync(new RecordQuery(After: after, Limit: 500));
            foreach (var row in batch.Where(r => r.Value.ConversationId == conversationId))
            {
                await memory.RemoveAsync(row.Key);
            }

            if (batch.Count < 500)
            {
                break;
            }

            after = batch[^1].Key;
        }
    }

    public async Task EraseAsync()
    {
        await memory.ClearAsync();
        await state.ClearStateAsync();
        state.State = new TherapistState();
        _lastMinute.Clear();
    }

    private CompanionSettings Settings() => new(state.State.JournalMemorySince.HasValue, state.State.JournalMemorySince);

    /// <summary>
    /// The user's local day (yyyy-MM-dd) in the time zone on their profile now (UTC without one), so
    /// the token budget renews at their midnight. The user grain never calls this grain, so this cannot loop.
    /// </summary>
    private async Task<string> TodayAsync()
    {
        var now = clock.GetUtcNow();
        var offset = await UserUtcOffsets.OfUserAsync(GrainFactory, this.GetPrimaryKey(), now);
        return UserUtcOffsets.LocalDateOf(now, offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static HashSet<string> Words(string text)
        => [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w))];

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();
}
