using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Billing;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Billing;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// Runs one turn: store and grade the message (conversation grain), choose who answers (engine or
/// model), stream the answer to every connection of the user, store it, then remember and count.
/// Whatever fails — the model, its safety, the rate — the user gets a reply in the same turn.
/// </summary>
public sealed class TherapistTurns(
    IGrainFactory grains,
    IHubContext<TherapistHub> hub,
    CbtEngine engine,
    CrisisDirectory directory,
    TherapistSettings settings,
    ILogger<TherapistTurns> logger,
    ModelReplies? model = null)
{
    private const int MemorySnippets = 3;
    private const int EngineWordsPerToken = 4;

    private readonly ConcurrentDictionary<(string Conversation, string ClientMessageId), Lazy<Task<MessageView>>> _inFlight = new();

    public static string UserGroup(Guid userId) => $"therapist:{userId:N}";

    /// <returns>The companion's reply, or null when the user has no such conversation.</returns>
    /// <exception cref="ArgumentException">The text or client message id is not acceptable.</exception>
    public async Task<MessageView?> SendAsync(Guid userId, Guid conversationId, string clientMessageId, string text)
    {
        var key = TherapistRules.ConversationKey(userId, conversationId);
        var conversation = grains.GetGrain<IConversationGrain>(key);
        var start = await conversation.BeginTurnAsync(clientMessageId, text);
        switch (start.Status)
        {
            case TurnStatus.NotFound:
                return null;
            case TurnStatus.Completed when start.Reply is { } reply:
                return MessageView.Of(conversationId, reply);
        }

        var turn = _inFlight.GetOrAdd((key, clientMessageId), _ => new Lazy<Task<MessageView>>(() => RunAsync(userId, conversationId, conversation, start)));
        try
        {
            return await turn.Value;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<(string, string), Lazy<Task<MessageView>>>((key, clientMessageId), turn));
        }
    }

    private async Task<MessageView> RunAsync(Guid userId, Guid conversationId, IConversationGrain conversation, TurnStart start)
    {
        var userMessage = start.UserMessage!;
        var therapist = grains.GetGrain<ITherapistGrain>(userId);
        var assessment = new SafetyAssessment(userMessage.SafetyLevel, userMessage.Signals);
        var crisis = RiskLevels.NeedsCrisisCare(assessment.Level);

        var planTask = grains.GetGrain<ISafetyPlanGrain>(userId).GetAsync();
        var countryTask = Safety.SafetyApi.CountryOfAsync(grains, userId);
        var usage = await therapist.UseAsync(new UsageLimits(settings.MessagesPerMinute, settings.TokensPerDay));
        // A crisis turn is always the engine's, so it never waits on the plan.
        var modelAllowed = !crisis && model is not null && (settings.ModelRepliesForEveryone || await grains.HasEntitlementAsync(userId, Plans.ModelReplies));
        var memory = modelAllowed && usage.ModelBudgetLeft
            ? await therapist.RecallAsync(userMessage.Text, conversationId, MemorySnippets)
            : [];
        var journal = modelAllowed && usage.ModelBudgetLeft && usage.JournalMemory
            ? JournalMemory.Describe(await grains.GetGrain<IJournalGrain>(userId).GetSignalsAsync(userMessage.CreatedAt - JournalMemory.Window, userMessage.CreatedAt.AddMinutes(1), CancellationToken.None))
            : null;
        // The person's language: this message's, else that of their recent messages (a "70" mid-flow), else English.
        var language = CompanionCatalogs.LanguageOf(userMessage.Text, start.Window.Select(m => (m.Role == ChatRoles.User, m.Text)));
        var context = new ReplyContext(userMessage.Text, assessment, start.Window, start.Flow, await planTask, directory.For(await countryTask), memory, journal, language);
        var stream = new ReplyStream(hub, UserGroup(userId), conversationId, userMessage.ClientMessageId);

        EngineReply reply;
        var source = ReplySources.Engine;
        if (!crisis && !usage.WithinRate)
        {
            // Safety is never rate limited: a high or imminent message always gets the crisis reply.
            reply = new EngineReply(CbtEngine.SlowDown(language), null, start.Flow);
        }
        else if (!modelAllowed || CbtEngine.OwnsTurn(context))
        {
            // Without a model, or on a plan without model replies, the engine answers: no upsell in a conversation.
            reply = engine.Reply(context);
        }
        else if (!usage.ModelBudgetLeft)
        {
            var fallback = engine.Reply(context);
            reply = fallback with { Text = fallback.Text + "\n\n" + CbtEngine.BudgetNote(language) };
        }
        else
        {
            (reply, source) = await ModelOrEngineAsync(context, therapist, stream);
        }

        if (source == ReplySources.Engine)
        {
            await stream.WordsAsync(reply.Text, EngineWordsPerToken);
        }

        var stored = await conversation.CompleteTurnAsync(new TurnReply(userMessage.ClientMessageId, reply.Text, source, reply.FlowName, reply.Flow, reply.FinishedThoughtRecord))
            ?? throw new InvalidOperationException("The conversation disappeared during a turn.");

        if (await conversation.GetAsync() is { } summary)
        {
            await therapist.TouchConversationAsync(summary);
        }

        if (!crisis)
        {
            await therapist.RememberAsync(conversationId, userMessage.Text);
        }

        var view = MessageView.Of(conversationId, stored, crisis ? new CrisisSupport(context.Resources, context.Plan) : null) with
        {
            SaveToJournal = reply.FinishedThoughtRecord is not null ? ThoughtRecordJournal.SavePath(conversationId, stored.Id) : null,
            Language = language,
        };
        await hub.Clients.Group(UserGroup(userId)).SendAsync(TherapistHub.MessageEvent, view);
        return view;
    }

    private async Task<(EngineReply Reply, string Source)> ModelOrEngineAsync(ReplyContext context, ITherapistGrain therapist, ReplyStream stream)
    {
        var text = new System.Text.StringBuilder();
        var outcome = ModelOutcome.Failed;
        long tokens = 0;
        await foreach (var (chunk, end, used) in model!.StreamAsync(context, CancellationToken.None))
        {
            if (chunk is not null)
            {
                text.Append(chunk);
                await stream.ChunkAsync(chunk);
            }
            else
            {
                outcome = end ?? ModelOutcome.Failed;
                tokens = used;
            }
        }

        if (tokens > 0)
        {
            await therapist.AddTokensAsync(tokens);
        }

        if (outcome == ModelOutcome.Completed)
        {
            return (new EngineReply(text.ToString(), null, null), ReplySources.Model);
        }

        TherapistLog.ModelFellBack(logger, outcome);
        if (stream.Sent > 0)
        {
            await stream.RetractAsync();
        }

        return (engine.Reply(context), ReplySources.Engine);
    }

    /// <summary>Sends the pieces of one reply, numbered, to all of the user's connections.</summary>
    private sealed class ReplyStream(IHubContext<TherapistHub> hub, string group, Guid conversationId, string clientMessageId)
    {
        public int Sent { get; private set; }

        public Task ChunkAsync(string text)
            => hub.Clients.Group(group).SendAsync(TherapistHub.TokenEvent, new TokenEvent(conversationId, clientMessageId, Sent++, text));

        public async Task WordsAsync(string text, int wordsPerToken)
        {
            var words = text.Split(' ');
            for (var i = 0; i < words.Length; i += wordsPerToken)
            {
                var piece = string.Join(' ', words.Skip(i).Take(wordsPerToken));
                await ChunkAsync(i + wordsPerToken < words.Length ? piece + " " : piece);
            }
        }

        public async Task RetractAsync()
        {
            await hub.Clients.Group(group).SendAsync(TherapistHub.RetractEvent, new RetractEvent(conversationId, clientMessageId));
            Sent = 0;
        }
    }
}

internal static partial class TherapistLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "The model's reply was not used ({Outcome}); the CBT engine answered instead")]
    public static partial void ModelFellBack(ILogger logger, ModelOutcome outcome);
}
