using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Therapist;

/// <summary>Stored state of <see cref="ConversationGrain"/>: the summary and where a CBT flow stands. Messages are rows.</summary>
[GenerateSerializer, Alias("ms.state.ConversationState")]
public sealed class ConversationState
{
    [Id(0)]
    public Guid Id { get; set; }

    [Id(1)]
    public string Title { get; set; } = string.Empty;

    [Id(2)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(3)]
    public DateTimeOffset? LastMessageAt { get; set; }

    [Id(4)]
    public long LastSequence { get; set; }

    [Id(5)]
    public FlowState? Flow { get; set; }
}

/// <summary>Which messages a client message id produced (its row in <c>therapist_turns</c>).</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.TurnIds")]
public sealed record TurnIds(long UserSequence, long? ReplySequence);

/// <inheritdoc cref="IConversationGrain"/>
/// <remarks>
/// Each message is one row keyed by its 19-digit sequence, so a turn costs two row writes and one
/// small state write whatever the history; a second row per client message id makes a repeated
/// Send find its earlier turn. The newest messages stay in memory for the prompt window. Message
/// text is never logged. A high or imminent message raises a care-team item after it is stored.
/// </remarks>
public sealed class ConversationGrain(
    [PersistentState("conversation")] IPersistentState<ConversationState> state,
    [RecordCollection("therapist_messages")] IRecordCollection<ChatMessage> messages,
    [RecordCollection("therapist_turns")] IRecordCollection<TurnIds> turns,
    [RecordCollection("therapist_thought_records")] IRecordCollection<FinishedThoughtRecord> thoughtRecords,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IConversationGrain
{
    private const int ExportBatch = 500;
    private readonly List<ChatMessage> _recent = [];

    private bool Exists => state.RecordExists;

    private Guid UserId => Guid.ParseExact(this.GetPrimaryKeyString().AsSpan(0, 32), "N");

    private Guid ConversationId => Guid.ParseExact(this.GetPrimaryKeyString().AsSpan(33), "N");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            var newest = await messages.QueryAsync(new RecordQuery(Descending: true, Limit: TherapistRules.WindowMessages), cancellationToken);
            _recent.AddRange(newest.Select(m => m.Value).Reverse());
        }
    }

    public async Task<ConversationSummary> CreateAsync(string title)
    {
        if (!Exists)
        {
            var trimmed = (title ?? string.Empty).Trim();
            state.State = new ConversationState
            {
                Id = ConversationId,
                Title = trimmed.Length > TherapistRules.MaxTitleLength ? trimmed[..TherapistRules.MaxTitleLength] : trimmed,
                CreatedAt = clock.GetUtcNow(),
            };
            await state.WriteStateAsync();
        }

        return Summary();
    }

    public Task<ConversationSummary?> GetAsync() => Task.FromResult(Exists ? Summary() : null);

    public async Task<TurnStart> BeginTurnAsync(string clientMessageId, string text)
    {
        if (!Exists)
        {
            return new TurnStart(TurnStatus.NotFound, null, null, [], null);
        }

        Require(TherapistRules.CheckClientMessageId(clientMessageId), "clientMessageId");
        Require(TherapistRules.CheckText(text), "text");

        if (await turns.GetAsync(clientMessageId) is { } earlier)
        {
            var userMessage = await messages.GetAsync(Key(earlier.UserSequence));
            if (earlier.ReplySequence is { } replySequence)
            {
                return new TurnStart(TurnStatus.Completed, userMessage, await messages.GetAsync(Key(replySequence)), [], state.State.Flow);
            }

            return new TurnStart(TurnStatus.Pending, userMessage, null, await WindowBeforeAsync(earlier.UserSequence), state.State.Flow);
        }

        var trimmed = text.Trim();
        var assessment = SafetyClassifier.Assess(trimmed);
        var window = await WindowBeforeAsync(state.State.LastSequence + 1);
        var message = await AppendAsync(ChatRoles.User, trimmed, assessment.Level, assessment.Signals, clientMessageId, null, null);
        await turns.PutAsync(clientMessageId, new TurnIds(message.Sequence, null));
        await state.WriteStateAsync();

        if (RiskLevels.NeedsCrisisCare(assessment.Level))
        {
            var excerpt = trimmed.Length > TherapistRules.ExcerptLength ? trimmed[..TherapistRules.ExcerptLength] + "…" : trimmed;
            await GrainFactory.GetGrain<ICareQueueGrain>(0).AddAsync(new NewCareItem(UserId, ConversationId, assessment.Level, assessment.Signals, excerpt));
        }

        return new TurnStart(TurnStatus.Started, message, null, window, state.State.Flow);
    }

    public async Task<ChatMessage?> CompleteTurnAsync(TurnReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!Exists || await turns.GetAsync(reply.ClientMessageId) is not { } ids)
        {
            return null;
        }

        if (ids.ReplySequence is { } done)
        {
            return await messages.GetAsync(Key(done));
        }

        var userMessage = await messages.GetAsync(Key(ids.UserSequence));
        var text = string.IsNullOrWhiteSpace(reply.Text) ? "I'm here." : reply.Text.Trim();
        var message = await AppendAsync(ChatRoles.Companion, text, userMessage?.SafetyLevel ?? RiskLevel.None, userMessage?.Signals ?? [], reply.ClientMessageId, reply.Source, reply.FlowName);
        if (reply.FinishedThoughtRecord is { Count: > 0 } answers)
        {
            await thoughtRecords.PutAsync(message.Id.ToString("D"), new FinishedThoughtRecord(message.Id, answers, message.CreatedAt));
        }

        await turns.PutAsync(reply.ClientMessageId, ids with { ReplySequence = message.Sequence });
        state.State.Flow = reply.Flow;
        await state.WriteStateAsync();
        return message;
    }

    public async Task<FinishedThoughtRecord?> GetThoughtRecordAsync(Guid messageId)
        => Exists ? await thoughtRecords.GetAsync(messageId.ToString("D")) : null;

    public async Task MarkThoughtRecordSavedAsync(Guid messageId, Guid journalEntryId)
    {
        if (Exists && await thoughtRecords.GetAsync(messageId.ToString("D")) is { } record)
        {
            await thoughtRecords.PutAsync(messageId.ToString("D"), record with { JournalEntryId = journalEntryId });
        }
    }

    public async Task<MessagePage?> HistoryAsync(long? before, int limit)
    {
        if (!Exists)
        {
            return null;
        }

        limit = Math.Clamp(limit, 1, TherapistRules.MaxPageSize);
        var rows = await messages.QueryAsync(new RecordQuery(Descending: true, Limit: limit + 1, To: before is { } b ? Key(b) : null));
        var page = rows.Take(limit).Select(r => r.Value).Reverse().ToList();
        return new MessagePage(page, rows.Count > limit ? page[0].Sequence : null);
    }

    public async Task<IReadOnlyList<ChatMessage>> AfterAsync(long after, int limit)
    {
        if (!Exists)
        {
            return [];
        }

        var rows = await messages.QueryAsync(new RecordQuery(After: Key(Math.Max(0, after)), Limit: Math.Clamp(limit, 1, TherapistRules.MaxPageSize)));
        return [.. rows.Select(r => r.Value)];
    }

    public async Task<ConversationExport?> ExportAsync()
    {
        if (!Exists)
        {
            return null;
        }

        var all = new List<ChatMessage>();
        string? after = null;
        while (true)
        {
            var batch = await messages.QueryAsync(new RecordQuery(After: after, Limit: ExportBatch));
            all.AddRange(batch.Select(r => r.Value));
            if (batch.Count < ExportBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        var records = await thoughtRecords.QueryAsync(new RecordQuery(Limit: 10_000));
        return new ConversationExport(Summary(), all, [.. records.Select(r => r.Value).OrderBy(r => r.FinishedAt)]);
    }

    public async Task<bool> DeleteAsync()
    {
        var existed = Exists;
        await messages.ClearAsync();
        await turns.ClearAsync();
        await thoughtRecords.ClearAsync();
        if (existed)
        {
            await state.ClearStateAsync();
        }

        state.State = new ConversationState();
        _recent.Clear();
        DeactivateOnIdle();
        return existed;
    }

    private async Task<ChatMessage> AppendAsync(string role, string text, RiskLevel level, IReadOnlyList<string> signals, string clientMessageId, string? source, string? flow)
    {
        var now = clock.GetUtcNow();
        var sequence = state.State.LastSequence + 1;
        var message = new ChatMessage(Guid.CreateVersion7(now), sequence, role, text, level, signals, clientMessageId, source, flow, now);
        await messages.PutAsync(Key(sequence), message);
        state.State.LastSequence = sequence;
        state.State.LastMessageAt = now;
        _recent.Add(message);
        if (_recent.Count > TherapistRules.WindowMessages)
        {
            _recent.RemoveAt(0);
        }

        return message;
    }

    private async Task<IReadOnlyList<ChatMessage>> WindowBeforeAsync(long sequence)
    {
        if (_recent.Count > 0 && _recent[^1].Sequence == sequence - 1)
        {
            return [.. _recent];
        }

        var rows = await messages.QueryAsync(new RecordQuery(Descending: true, Limit: TherapistRules.WindowMessages, To: Key(sequence)));
        return [.. rows.Select(r => r.Value).Reverse()];
    }

    private ConversationSummary Summary()
        => new(state.State.Id, state.State.Title, state.State.CreatedAt, state.State.LastMessageAt, state.State.LastSequence);

    private static string Key(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private static void Require(string? error, string field)
    {
        if (error is not null)
        {
            throw new ArgumentException(error, field);
        }
    }
}
