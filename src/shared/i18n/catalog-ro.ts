import { type CatalogKey } from './catalog-en';

/*
 * Romanian. Same keys as English (catalog-en.ts); plural keys in Romanian's forms: _one (1), _few (0, 2–19 and
 * numbers ending in 01–19) and _other (20 and up otherwise, which take "de": "20 de minute").
 */
export const ro: Partial<Record<CatalogKey, string>> & Record<string, string> = {
  'support.greeting':
    'Salut! Sunt botul de suport. Întreabă-mă orice despre joc și caut în articolele noastre de ajutor. ' +
    'Dacă preferi să vorbești cu o persoană, apasă „Vorbește cu o persoană” sau spune-mi pur și simplu.',
  'support.foundArticles': 'Aceste articole par să răspundă la întrebarea ta:',
  'support.nothingFound':
    'N-am găsit un răspuns bun în articolele noastre de ajutor. Vrei să vorbești cu o persoană din echipa de suport?',
  'support.searchUnavailable':
    'Nu pot căuta în articolele de ajutor acum. Poți cere în schimb o persoană din echipa de suport.',
  'support.alreadyWaiting': 'Ești deja la coadă; un agent va fi cu tine în curând.',
  'support.alreadyWithAgent': 'Un agent este deja cu tine în această conversație.',
  'support.caseFailed':
    'Îmi pare rău, n-am putut deschide un caz de suport acum. Încearcă din nou peste câteva minute sau cere din nou aici.',
  'support.caseOpened':
    'Cazul #{{caseNumber}} a fost deschis, te conectăm cu un agent. Tot ce scrii aici de acum ajunge și la el.',
  'support.agentJoined': '{{agentName}} din echipa de suport s-a alăturat conversației.',
  'support.nowTalkingWith': 'Acum vorbești cu {{agentName}}.',
  'support.busy': 'Toți agenții noștri sunt ocupați acum, ne pare rău pentru așteptare.',
  'support.nextInLine': 'Ești următorul la rând.',
  'support.placeInLine': 'Ești al {{position}}-lea la rând.',
  'support.expectedWait_one': 'Timp de așteptare estimat: încă aproximativ {{count}} minut.',
  'support.expectedWait_few': 'Timp de așteptare estimat: încă aproximativ {{count}} minute.',
  'support.expectedWait_other': 'Timp de așteptare estimat: încă aproximativ {{count}} de minute.',
  'support.priorityRaised': 'Am crescut prioritatea cazului tău.',
  'support.reminderSoon': 'Mai ești acolo? Conversația se închide într-un minut dacă nu scrie nimeni.',
  'support.reminder_one':
    'Mai ești acolo? Conversația se închide în aproximativ {{count}} minut dacă nu scrie nimeni.',
  'support.reminder_few':
    'Mai ești acolo? Conversația se închide în aproximativ {{count}} minute dacă nu scrie nimeni.',
  'support.reminder_other':
    'Mai ești acolo? Conversația se închide în aproximativ {{count}} de minute dacă nu scrie nimeni.',
  'support.closed.agent_closed': 'Agentul a închis această conversație.',
  'support.closed.task_completed': 'Agentul a terminat cu cazul tău.',
  'support.closed.task_canceled': 'Echipa de suport a închis această cerere.',
  'support.closed.user_closed': 'Ai închis această conversație.',
  'support.closed.inactivity': 'Conversația a fost închisă după o perioadă de inactivitate.',
  'support.closed.flex_failed':
    'Îmi pare rău, de data aceasta nu te-am putut conecta cu un agent. Cazul tău este salvat și echipa se va uita la el.',
  'support.closedCase': '(cazul #{{caseNumber}})',
  'support.comeBack':
    'Mai ai nevoie de ajutor? Folosește /helpme sau scrie aici oricând ca să începi din nou.',
  'support.ratingPrompt': 'Cum ne-am descurcat? Notează conversația de la 1 (rău) la 5 (excelent).',
  'support.ratingThanks': 'Mulțumim pentru nota {{rating}}/5!',
  'support.yourFile': 'fișierul tău',
  'support.fileTooLarge':
    'N-am putut trimite „{{name}}” agentului: fișierul este prea mare, depășește cei {{megabytes}} MB pe care îi poate primi un agent. Un fișier mai mic sau un link către el va merge.',
  'support.fileTooLargeNoLimit':
    'N-am putut trimite „{{name}}” agentului: fișierul este prea mare. Un fișier mai mic sau un link către el va merge.',
  'support.fileType':
    'N-am putut trimite „{{name}}” agentului: acest tip de fișier nu este acceptat. Agentul poate primi fișiere {{extensions}}.',
  'support.fileTypeNoLimit': 'N-am putut trimite „{{name}}” agentului: acest tip de fișier nu este acceptat.',
  'support.fileGone':
    'N-am putut trimite „{{name}}” agentului: Discord nu mai are fișierul. Te rog să-l trimiți din nou.',

  'discord.talkToHuman': 'Vorbește cu o persoană',
  'discord.close': 'Închide',
  'discord.agentMessage': '**{{agentName}}** (suport): {{text}}',
  'discord.attachment': 'atașament',

  'report.bugLabel': 'raportul tău de eroare #{{caseNumber}} „{{title}}”',
  'report.featureLabel': 'cererea ta de funcție #{{caseNumber}} „{{title}}”',
  'report.resolved': 'Am rezolvat {{label}}.',
  'report.declined': 'Am respins {{label}}.',
  'report.duplicate':
    'Mulțumim pentru {{label}}. Echipa urmărește deja același lucru ca #{{original}}, așa că raportul tău a fost legat de acesta. Vei afla de la noi aici când #{{original}} este rezolvat.',
  'report.originalResolved':
    'Am rezolvat #{{original}} „{{title}}”, pe care l-ai raportat ca #{{duplicate}}.',
  'report.originalDeclined': 'Am respins #{{original}} „{{title}}”, pe care l-ai raportat ca #{{duplicate}}.',
  'report.triaged':
    'Echipa a preluat {{label}} și lucrează la asta. Vei afla de la noi aici când sunt noutăți.',
  'report.useChannel': 'Folosește /{{command}} în canalul #{{channel}}.',
  'report.fromServer': 'Rapoartele se trimit din server.',
  'report.bugModalTitle': 'Raportează o eroare',
  'report.featureModalTitle': 'Cere o funcție',
  'report.field.title': 'Titlu',
  'report.field.what_happened': 'Ce s-a întâmplat?',
  'report.field.steps': 'Pași pentru reproducere',
  'report.field.expected': 'Ce te așteptai să se întâmple?',
  'report.field.platform': 'Platformă / versiune',
  'report.field.description': 'Descrie funcția',
  'report.field.why': 'De ce contează pentru tine?',
  'report.fieldRequired': '{{label}} este obligatoriu',
  'report.filedBug': 'Mulțumim! Raportul tău de eroare este cazul #{{caseNumber}}.',
  'report.filedFeature': 'Mulțumim! Cererea ta de funcție este cazul #{{caseNumber}}.',

  'reminder.day_one': '{{count}} zi',
  'reminder.day_few': '{{count}} zile',
  'reminder.day_other': '{{count}} de zile',
  'reminder.hour_one': '{{count}} oră',
  'reminder.hour_few': '{{count}} ore',
  'reminder.hour_other': '{{count}} de ore',
  'reminder.minute_one': '{{count}} minut',
  'reminder.minute_few': '{{count}} minute',
  'reminder.minute_other': '{{count}} de minute',
  'reminder.second_one': '{{count}} secundă',
  'reminder.second_few': '{{count}} secunde',
  'reminder.second_other': '{{count}} de secunde',
  'reminder.bug': 'Raportul de eroare #{{caseNumber}}',
  'reminder.feature': 'Cererea de funcție #{{caseNumber}}',
  'reminder.titleUntriaged': '{{what}} așteaptă triajul de {{waited}}',
  'reminder.titleStale': '{{what}} n-a mai fost atins de echipă de {{waited}}',
  'reminder.assigned': 'atribuit lui {{agent}}',
  'reminder.unassigned': 'neatribuit',
  'reminder.summary': '„{{title}}” de la {{reporter}}, prioritate {{priority}}, {{who}}.',
  'reminder.filed': 'Trimis {{since}}.',
  'reminder.lastMoved': 'Ultima acțiune {{since}}.',
  'reminder.nextUntriaged':
    'Preia-l cu `/case triage {{caseNumber}}` sau închide-l cu `/case close {{caseNumber}}`.',
  'reminder.nextStale': 'Adaugă o notă, atribuie-l sau închide-l cu `/case close {{caseNumber}}`.',
  'reminder.footer': 'mementoul {{n}}',

  'bot.opened': 'Am deschis o conversație privată de suport în {{where}}',
  'bot.stillOpen': 'Conversația ta de suport este încă deschisă în {{where}}',
  'bot.yourDms': 'mesajele tale directe: {{url}}',
  'bot.closing': 'Închid conversația ta de suport. Mulțumim că ne-ai scris!',
  'bot.nothingToClose': 'Nu ai nicio conversație de suport deschisă.',
  'bot.askingHuman': 'Chemăm o persoană. Între timp poți continua să scrii aici.',
  'bot.closingConversation': 'Închid conversația.',
  'bot.rated': 'Mulțumim pentru nota {{rating}}/5!',
  'bot.conversationEnded':
    'Această conversație de suport s-a încheiat deja. Folosește /helpme ca să începi alta.',
  'bot.helpmeFirst': 'Folosește mai întâi /helpme în serverul în care ai nevoie de ajutor.',
  'bot.helpmeInServer': 'Folosește /helpme în serverul în care ai nevoie de ajutor.',
  'bot.apology': 'Îmi pare rău, ceva n-a mers bine la noi. Referință: `{{ref}}`',
  'bot.unknownCommand': 'Această comandă nu mai este disponibilă.',
  'bot.unknownButton': 'Acest buton nu mai este activ.',
  'bot.notSetUp':
    'Suportul nu este configurat încă în acest server, așa că nu pot deschide o conversație privată cu tine. Anunță un administrator al serverului; iată ce trebuie reparat: {{problem}}',
  'bot.unknownMenu': 'Acest meniu nu mai este activ.',
  'bot.notYourButton': 'Acest buton aparține conversației de suport a altcuiva.',
  'bot.whichServerCommand':
    'Ai conversații de suport în mai multe servere, așa că nu știu la care te referi. Folosește /{{command}} în server sau butoanele de sub un mesaj mai nou.',
  'bot.whichServer': 'Ai conversații de suport în mai multe servere. Pentru care este acest mesaj?',
  'bot.chooseServer': 'Alege serverul',
  'bot.pickEnded': 'Conversația aceea s-a încheiat. Folosește /helpme în server.',
  'bot.pickUnreadable': 'Nu mai pot citi acel mesaj.',
  'bot.pickNotYours': 'Această întrebare se referă la mesajul altcuiva.',
  'bot.pickSent': 'Trimis în conversația ta de suport din {{server}}.',
  'bot.pickRefused': 'Netrimis: acum nu poți scrie la suportul din {{server}}.',
  'bot.thatServer': 'acel server',
  'bot.blocked': 'Îmi pare rău, acum nu poți folosi suportul în acest server.',
  'bot.blockedUntil': 'Restricția se încheie {{when}}.',
  'bot.blockedContact': 'Dacă crezi că e o greșeală, contactează moderatorii serverului.',
  'bot.tooManyConversations':
    'Ai început mai multe conversații de suport într-un timp scurt. Continuă în cea pe care o ai deschisă sau încearcă din nou {{when}}.',
  'bot.tooManyReports': 'Ai trimis mai multe rapoarte într-un timp scurt. Încearcă din nou {{when}}.',

  'case.useInServer': 'Folosește /case în server.',
  'case.onlyStaffListAll': 'Doar echipa poate vedea toate cazurile.',
  'case.noneYet': 'Încă nu există cazuri.',
  'case.onlyStaff.triage': 'Doar echipa poate prelua cazuri.',
  'case.onlyStaff.note': 'Doar echipa poate adăuga note la cazuri.',
  'case.onlyStaff.close': 'Doar echipa poate închide cazuri.',
  'case.onlyStaff.block': 'Doar echipa poate bloca membri.',
  'case.onlyStaff.unblock': 'Doar echipa poate debloca membri.',
  'case.notHere': 'Nu există cazul #{{number}} în acest server.',
  'case.triaged': 'Cazul #{{number}} a fost preluat.',
  'case.reporterDmsClosed': '(Persoana care l-a raportat are mesajele directe închise.)',
  'case.reporterGetsDm': 'Persoana care l-a raportat primește un mesaj direct.',
  'case.noteEmpty': 'Nota este goală.',
  'case.noted': 'Am adăugat o notă privată la cazul #{{number}}. Persoana care l-a raportat nu o vede.',
  'case.closed': 'Cazul #{{number}} a fost închis.',
  'case.blockingUnavailable': 'Acest bot nu poate bloca membri.',
  'case.unblocked': '<@{{user}}> poate folosi din nou suportul.',
  'case.notBlocked': '<@{{user}}> nu era blocat.',
  'case.blocked':
    '<@{{user}}> a fost blocat la suportul din acest server. /helpme, mesajele și rapoartele sale sunt refuzate politicos și nimic nu ajunge în Flex.',
  'case.blockedUntil':
    '<@{{user}}> a fost blocat la suportul din acest server până {{until}}. /helpme, mesajele și rapoartele sale sunt refuzate politicos și nimic nu ajunge în Flex.',

  'setup.onlyAdmins': 'Doar administratorii serverului pot face asta.',
  'setup.result': 'Create: {{created}} · Reparate: {{repaired}} · În regulă: {{fine}}',
  'setup.none': 'niciunul',
};
