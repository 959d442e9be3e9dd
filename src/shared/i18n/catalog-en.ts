/*
 * What flexcord says to people, in English: the catalog every other language follows key by key. Plain data, so the
 * workflows can bundle it. `{{name}}` is filled in by i18next; keys ending in `_one`/`_other` (and `_few` in
 * Romanian) are plural forms chosen by `count` with the language's own plural rules.
 */
export const en = {
  // ---- the support conversation (workflow) ----
  'support.greeting':
    "Hi! I'm the support bot. Ask me anything about the game and I'll look through our help articles. " +
    'If you would rather talk to a person, press "Talk to a human" or just say so.',
  'support.foundArticles': 'These articles look like a match for your question:',
  'support.nothingFound':
    "I couldn't find a good answer to that in our help articles. Would you like to talk to a person from the support team?",
  'support.searchUnavailable':
    "I can't search the help articles right now. You can ask for a person from the support team instead.",
  'support.alreadyWaiting': "You're already in the queue; an agent will be with you soon.",
  'support.alreadyWithAgent': 'An agent is already with you in this conversation.',
  'support.caseFailed':
    "Sorry, I couldn't open a support case just now. Please try again in a few minutes, or ask again here.",
  'support.caseOpened':
    'Case #{{caseNumber}} opened, connecting you to an agent. Anything you write here now reaches them too.',
  'support.agentJoined': '{{agentName}} from the support team joined the conversation.',
  'support.nowTalkingWith': "You're now talking with {{agentName}}.",
  'support.busy': 'All our agents are busy right now, sorry for the wait.',
  'support.nextInLine': "You're next in line.",
  'support.placeInLine': "You're number {{position}} in line.",
  'support.expectedWait_one': 'Expected wait: about {{count}} more minute.',
  'support.expectedWait_other': 'Expected wait: about {{count}} more minutes.',
  'support.priorityRaised': "We've raised the priority of your case.",
  'support.reminderSoon': 'Are you still there? This conversation closes in a minute if nobody writes.',
  'support.reminder':
    'Are you still there? This conversation closes in about {{count}} minutes if nobody writes.',
  'support.closed.agent_closed': 'The agent closed this conversation.',
  'support.closed.task_completed': 'The agent finished with your case.',
  'support.closed.task_canceled': 'The support team closed this request.',
  'support.closed.user_closed': 'You closed this conversation.',
  'support.closed.inactivity': 'This conversation was closed after a period of inactivity.',
  'support.closed.flex_failed':
    "Sorry, we couldn't connect you to an agent this time. Your case is saved and the team will look at it.",
  'support.closedCase': '(case #{{caseNumber}})',
  'support.comeBack': 'Need more help? Use /helpme or write here anytime to start again.',
  'support.ratingPrompt': 'How did we do? Rate this conversation from 1 (bad) to 5 (great).',
  'support.ratingThanks': 'Thanks for rating us {{rating}}/5!',
  'support.yourFile': 'your file',
  'support.fileTooLarge':
    'I couldn\'t pass "{{name}}" on to the agent: the file is too large, more than the {{megabytes}} MB an agent can receive. A smaller file, or a link to it, will work.',
  'support.fileTooLargeNoLimit':
    'I couldn\'t pass "{{name}}" on to the agent: the file is too large. A smaller file, or a link to it, will work.',
  'support.fileType':
    'I couldn\'t pass "{{name}}" on to the agent: that type of file isn\'t accepted. The agent can receive {{extensions}} files.',
  'support.fileTypeNoLimit':
    'I couldn\'t pass "{{name}}" on to the agent: that type of file isn\'t accepted.',
  'support.fileGone':
    'I couldn\'t pass "{{name}}" on to the agent: Discord no longer has the file. Please send it again.',

  // ---- how messages look in Discord ----
  'discord.talkToHuman': 'Talk to a human',
  'discord.close': 'Close',
  'discord.agentMessage': '**{{agentName}}** (support): {{text}}',
  'discord.attachment': 'attachment',

  // ---- bug reports and feature requests: what the reporter hears ----
  'report.bugLabel': 'bug report #{{caseNumber}} "{{title}}"',
  'report.featureLabel': 'feature request #{{caseNumber}} "{{title}}"',
  'report.resolved': 'Your {{label}} has been resolved.',
  'report.declined': 'Your {{label}} was declined.',
  'report.duplicate':
    'Thanks for your {{label}}. The team already tracks the same thing as #{{original}}, so your report was linked to it. You will hear from us here when #{{original}} is resolved.',
  'report.originalResolved':
    '#{{original}} "{{title}}", which you reported as #{{duplicate}}, has been resolved.',
  'report.originalDeclined': '#{{original}} "{{title}}", which you reported as #{{duplicate}}, was declined.',
  'report.triaged':
    'Your {{label}} has been triaged: the team is looking into it. You will hear from us here when there is news.',
  'report.useChannel': 'Please use /{{command}} in the #{{channel}} channel.',
  'report.fromServer': 'Reports are filed from the server.',
  'report.bugModalTitle': 'Report a bug',
  'report.featureModalTitle': 'Request a feature',
  'report.field.title': 'Title',
  'report.field.what_happened': 'What happened?',
  'report.field.steps': 'Steps to reproduce',
  'report.field.expected': 'What did you expect?',
  'report.field.platform': 'Platform / version',
  'report.field.description': 'Describe the feature',
  'report.field.why': 'Why does it matter to you?',
  'report.fieldRequired': '{{label}} is required',
  'report.filedBug': 'Thanks! Your bug report is case #{{caseNumber}}.',
  'report.filedFeature': 'Thanks! Your feature request is case #{{caseNumber}}.',

  // ---- staff reminders in the follow-up channel ----
  'reminder.day_one': '{{count}} day',
  'reminder.day_other': '{{count}} days',
  'reminder.hour_one': '{{count}} hour',
  'reminder.hour_other': '{{count}} hours',
  'reminder.minute_one': '{{count}} minute',
  'reminder.minute_other': '{{count}} minutes',
  'reminder.second_one': '{{count}} second',
  'reminder.second_other': '{{count}} seconds',
  'reminder.bug': 'Bug report #{{caseNumber}}',
  'reminder.feature': 'Feature request #{{caseNumber}}',
  'reminder.titleUntriaged': '{{what}} has waited {{waited}} for triage',
  'reminder.titleStale': '{{what}} has had no staff action for {{waited}}',
  'reminder.assigned': 'assigned to {{agent}}',
  'reminder.unassigned': 'unassigned',
  'reminder.summary': '"{{title}}" from {{reporter}}, priority {{priority}}, {{who}}.',
  'reminder.filed': 'Filed {{since}}.',
  'reminder.lastMoved': 'Last moved {{since}}.',
  'reminder.nextUntriaged':
    'Triage it with `/case triage {{caseNumber}}`, or close it with `/case close {{caseNumber}}`.',
  'reminder.nextStale': 'Add a note, assign it, or close it with `/case close {{caseNumber}}`.',
  'reminder.footer': 'reminder {{n}}',

  // ---- the bot's answers to commands and buttons ----
  'bot.opened': 'I opened a private support conversation in {{where}}',
  'bot.stillOpen': 'Your support conversation is still open in {{where}}',
  'bot.yourDms': 'your DMs: {{url}}',
  'bot.closing': 'Closing your support conversation. Thanks for reaching out!',
  'bot.nothingToClose': 'You have no open support conversation.',
  'bot.askingHuman': 'Asking a human to join. You can keep writing here meanwhile.',
  'bot.closingConversation': 'Closing the conversation.',
  'bot.rated': 'Thanks for rating us {{rating}}/5!',
  'bot.conversationEnded': 'This support conversation has already ended. Use /helpme to start a new one.',
  'bot.helpmeFirst': 'Please run /helpme in the server you need help with first.',
  'bot.helpmeInServer': 'Please run /helpme in the server you need help with.',
  'bot.apology': 'Sorry, something went wrong on our side. Reference: `{{ref}}`',
  'bot.unknownCommand': 'This command is not supported any more.',
  'bot.unknownButton': 'This button is no longer active.',
  'bot.notSetUp':
    "Support is not set up in this server yet, so I can't open a private conversation with you. Please tell a server admin; this is what needs fixing: {{problem}}",
  'bot.unknownMenu': 'This menu is no longer active.',
  'bot.notYourButton': 'This button belongs to someone else’s support conversation.',
  'bot.whichServerCommand':
    'You have support conversations in several servers, so I can’t tell which one this is for. Please use /{{command}} in the server, or the buttons under a newer message.',
  'bot.whichServer': 'You have support conversations in several servers. Which one is this message for?',
  'bot.chooseServer': 'Choose the server',
  'bot.pickEnded': 'That conversation has ended. Please run /helpme in the server.',
  'bot.pickUnreadable': 'I can no longer read that message.',
  'bot.pickNotYours': 'This question is about someone else’s message.',
  'bot.pickSent': 'Sent to your support conversation in {{server}}.',
  'bot.pickRefused': 'Not sent: you cannot write to support in {{server}} right now.',
  'bot.thatServer': 'that server',
  'bot.blocked': "Sorry, you can't use support in this server right now.",
  'bot.blockedUntil': 'This ends {{when}}.',
  'bot.blockedContact': "If you think this is a mistake, please contact the server's moderators.",
  'bot.tooManyConversations':
    "You've started several support conversations in a short time. Please continue in the one you have, or try again {{when}}.",
  'bot.tooManyReports': "You've filed several reports in a short time. Please try again {{when}}.",

  // ---- /case ----
  'case.useInServer': 'Please use /case in the server.',
  'case.onlyStaffListAll': 'Only staff can list every case.',
  'case.noneYet': 'No cases yet.',
  'case.onlyStaff.triage': 'Only staff can triage cases.',
  'case.onlyStaff.note': 'Only staff can note cases.',
  'case.onlyStaff.close': 'Only staff can close cases.',
  'case.onlyStaff.block': 'Only staff can block members.',
  'case.onlyStaff.unblock': 'Only staff can unblock members.',
  'case.notHere': 'There is no case #{{number}} in this server.',
  'case.triaged': 'Triaged case #{{number}}.',
  'case.reporterDmsClosed': '(The reporter has DMs closed.)',
  'case.reporterGetsDm': 'The reporter gets a DM.',
  'case.noteEmpty': 'The note is empty.',
  'case.noted': 'Added a private note to case #{{number}}. The reporter does not see it.',
  'case.closed': 'Closed case #{{number}}.',
  'case.blockingUnavailable': 'Blocking is not available on this bot.',
  'case.unblocked': '<@{{user}}> can use support again.',
  'case.notBlocked': '<@{{user}}> was not blocked.',
  'case.blocked':
    'Blocked <@{{user}}> from support in this server. Their /helpme, messages and reports are refused politely, and nothing reaches Flex.',
  'case.blockedUntil':
    'Blocked <@{{user}}> from support in this server until {{until}}. Their /helpme, messages and reports are refused politely, and nothing reaches Flex.',

  // ---- /setup_channels ----
  'setup.onlyAdmins': 'Only server administrators can do this.',
  'setup.result': 'Created: {{created}} · Repaired: {{repaired}} · Fine: {{fine}}',
  'setup.none': 'none',
} as const;

/** Every message flexcord can say, by key (plural forms included). */
export type CatalogKey = keyof typeof en;
