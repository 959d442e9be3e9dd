import { type CatalogKey } from './catalog-en';

/*
 * Spanish. Same keys as English (catalog-en.ts); plural keys in Spanish's forms: _one, _many (whole millions) and
 * _other. The tone is the informal "tú" Discord communities use.
 */
export const es: Partial<Record<CatalogKey, string>> & Record<string, string> = {
  'support.greeting':
    '¡Hola! Soy el bot de soporte. Pregúntame lo que quieras sobre el juego y buscaré en nuestros artículos de ayuda. ' +
    'Si prefieres hablar con una persona, pulsa "Hablar con una persona" o simplemente dilo.',
  'support.foundArticles': 'Estos artículos parecen responder a tu pregunta:',
  'support.nothingFound':
    'No he encontrado una buena respuesta en nuestros artículos de ayuda. ¿Quieres hablar con una persona del equipo de soporte?',
  'support.searchUnavailable':
    'Ahora mismo no puedo buscar en los artículos de ayuda. Puedes pedir hablar con una persona del equipo de soporte.',
  'support.alreadyWaiting': 'Ya estás en la cola; un agente te atenderá pronto.',
  'support.alreadyWithAgent': 'Ya hay un agente contigo en esta conversación.',
  'support.caseFailed':
    'Lo siento, ahora mismo no he podido abrir un caso de soporte. Inténtalo de nuevo en unos minutos o vuelve a pedirlo aquí.',
  'support.caseOpened':
    'Caso #{{caseNumber}} abierto, te estamos conectando con un agente. Todo lo que escribas aquí le llegará también.',
  'support.agentJoined': '{{agentName}}, del equipo de soporte, se ha unido a la conversación.',
  'support.nowTalkingWith': 'Ahora estás hablando con {{agentName}}.',
  'support.busy': 'Todos nuestros agentes están ocupados ahora mismo, perdona la espera.',
  'support.nextInLine': 'Eres el siguiente en la cola.',
  'support.placeInLine': 'Estás en el puesto {{position}} de la cola.',
  'support.expectedWait_one': 'Espera estimada: alrededor de {{count}} minuto más.',
  'support.expectedWait_many': 'Espera estimada: alrededor de {{count}} minutos más.',
  'support.expectedWait_other': 'Espera estimada: alrededor de {{count}} minutos más.',
  'support.priorityRaised': 'Hemos subido la prioridad de tu caso.',
  'support.reminderSoon': '¿Sigues ahí? Esta conversación se cerrará en un minuto si nadie escribe.',
  'support.reminder': '¿Sigues ahí? Esta conversación se cerrará en unos {{count}} minutos si nadie escribe.',
  'support.closed.agent_closed': 'El agente ha cerrado esta conversación.',
  'support.closed.task_completed': 'El agente ha terminado con tu caso.',
  'support.closed.task_canceled': 'El equipo de soporte ha cerrado esta solicitud.',
  'support.closed.user_closed': 'Has cerrado esta conversación.',
  'support.closed.inactivity': 'Esta conversación se ha cerrado tras un tiempo sin actividad.',
  'support.closed.flex_failed':
    'Lo siento, esta vez no hemos podido conectarte con un agente. Tu caso está guardado y el equipo lo revisará.',
  'support.closedCase': '(caso #{{caseNumber}})',
  'support.comeBack':
    '¿Necesitas más ayuda? Usa /helpme o escribe aquí cuando quieras para empezar de nuevo.',
  'support.ratingPrompt': '¿Qué tal lo hemos hecho? Valora esta conversación de 1 (mal) a 5 (genial).',
  'support.ratingThanks': '¡Gracias por valorarnos con un {{rating}}/5!',
  'support.yourFile': 'tu archivo',
  'support.fileTooLarge':
    'No he podido pasarle "{{name}}" al agente: el archivo es demasiado grande, más de los {{megabytes}} MB que puede recibir un agente. Un archivo más pequeño, o un enlace a él, funcionará.',
  'support.fileTooLargeNoLimit':
    'No he podido pasarle "{{name}}" al agente: el archivo es demasiado grande. Un archivo más pequeño, o un enlace a él, funcionará.',
  'support.fileType':
    'No he podido pasarle "{{name}}" al agente: ese tipo de archivo no se acepta. El agente puede recibir archivos {{extensions}}.',
  'support.fileTypeNoLimit': 'No he podido pasarle "{{name}}" al agente: ese tipo de archivo no se acepta.',
  'support.fileGone':
    'No he podido pasarle "{{name}}" al agente: Discord ya no tiene el archivo. Por favor, envíalo de nuevo.',

  'discord.talkToHuman': 'Hablar con una persona',
  'discord.close': 'Cerrar',
  'discord.agentMessage': '**{{agentName}}** (soporte): {{text}}',
  'discord.attachment': 'archivo adjunto',

  'report.bugLabel': 'informe de error #{{caseNumber}} "{{title}}"',
  'report.featureLabel': 'solicitud de función #{{caseNumber}} "{{title}}"',
  'report.resolved': 'Tu {{label}} se ha resuelto.',
  'report.declined': 'Hemos rechazado tu {{label}}.',
  'report.duplicate':
    'Gracias por tu {{label}}. El equipo ya sigue lo mismo como #{{original}}, así que hemos vinculado tu informe a ese. Te avisaremos aquí cuando #{{original}} se resuelva.',
  'report.originalResolved': '#{{original}} "{{title}}", que informaste como #{{duplicate}}, se ha resuelto.',
  'report.originalDeclined': 'Hemos rechazado #{{original}} "{{title}}", que informaste como #{{duplicate}}.',
  'report.triaged':
    'Tu {{label}} ya está en revisión: el equipo se está ocupando. Te avisaremos aquí cuando haya novedades.',
  'report.useChannel': 'Usa /{{command}} en el canal #{{channel}}.',
  'report.fromServer': 'Los informes se envían desde el servidor.',
  'report.bugModalTitle': 'Informar de un error',
  'report.featureModalTitle': 'Pedir una función',
  'report.field.title': 'Título',
  'report.field.what_happened': '¿Qué ha pasado?',
  'report.field.steps': 'Pasos para reproducirlo',
  'report.field.expected': '¿Qué esperabas?',
  'report.field.platform': 'Plataforma / versión',
  'report.field.description': 'Describe la función',
  'report.field.why': '¿Por qué es importante para ti?',
  'report.fieldRequired': '{{label}} es obligatorio',
  'report.filedBug': '¡Gracias! Tu informe de error es el caso #{{caseNumber}}.',
  'report.filedFeature': '¡Gracias! Tu solicitud de función es el caso #{{caseNumber}}.',

  'reminder.day_one': '{{count}} día',
  'reminder.day_many': '{{count}} días',
  'reminder.day_other': '{{count}} días',
  'reminder.hour_one': '{{count}} hora',
  'reminder.hour_many': '{{count}} horas',
  'reminder.hour_other': '{{count}} horas',
  'reminder.minute_one': '{{count}} minuto',
  'reminder.minute_many': '{{count}} minutos',
  'reminder.minute_other': '{{count}} minutos',
  'reminder.second_one': '{{count}} segundo',
  'reminder.second_many': '{{count}} segundos',
  'reminder.second_other': '{{count}} segundos',
  'reminder.bug': 'Informe de error #{{caseNumber}}',
  'reminder.feature': 'Solicitud de función #{{caseNumber}}',
  'reminder.titleUntriaged': '{{what}} lleva {{waited}} esperando revisión',
  'reminder.titleStale': '{{what}} lleva {{waited}} sin acciones del equipo',
  'reminder.assigned': 'asignado a {{agent}}',
  'reminder.unassigned': 'sin asignar',
  'reminder.summary': '"{{title}}" de {{reporter}}, prioridad {{priority}}, {{who}}.',
  'reminder.filed': 'Enviado {{since}}.',
  'reminder.lastMoved': 'Último movimiento {{since}}.',
  'reminder.nextUntriaged':
    'Revísalo con `/case triage {{caseNumber}}`, o ciérralo con `/case close {{caseNumber}}`.',
  'reminder.nextStale': 'Añade una nota, asígnalo o ciérralo con `/case close {{caseNumber}}`.',
  'reminder.footer': 'recordatorio {{n}}',

  'bot.opened': 'He abierto una conversación de soporte privada en {{where}}',
  'bot.stillOpen': 'Tu conversación de soporte sigue abierta en {{where}}',
  'bot.yourDms': 'tus mensajes directos: {{url}}',
  'bot.closing': 'Cerrando tu conversación de soporte. ¡Gracias por escribirnos!',
  'bot.nothingToClose': 'No tienes ninguna conversación de soporte abierta.',
  'bot.askingHuman': 'Estamos llamando a una persona. Mientras tanto, puedes seguir escribiendo aquí.',
  'bot.closingConversation': 'Cerrando la conversación.',
  'bot.rated': '¡Gracias por valorarnos con un {{rating}}/5!',
  'bot.conversationEnded': 'Esta conversación de soporte ya ha terminado. Usa /helpme para empezar otra.',
  'bot.helpmeFirst': 'Primero usa /helpme en el servidor en el que necesitas ayuda.',
  'bot.helpmeInServer': 'Usa /helpme en el servidor en el que necesitas ayuda.',
  'bot.apology': 'Lo siento, algo ha fallado por nuestra parte. Referencia: `{{ref}}`',
  'bot.unknownCommand': 'Este comando ya no está disponible.',
  'bot.unknownButton': 'Este botón ya no está activo.',
  'bot.notSetUp':
    'El soporte todavía no está configurado en este servidor, así que no puedo abrir una conversación privada contigo. Avisa a un administrador del servidor; esto es lo que hay que arreglar: {{problem}}',
  'bot.unknownMenu': 'Este menú ya no está activo.',
  'bot.notYourButton': 'Este botón pertenece a la conversación de soporte de otra persona.',
  'bot.whichServerCommand':
    'Tienes conversaciones de soporte en varios servidores, así que no sé a cuál te refieres. Usa /{{command}} en el servidor, o los botones de un mensaje más reciente.',
  'bot.whichServer': 'Tienes conversaciones de soporte en varios servidores. ¿Para cuál es este mensaje?',
  'bot.chooseServer': 'Elige el servidor',
  'bot.pickEnded': 'Esa conversación ha terminado. Usa /helpme en el servidor.',
  'bot.pickUnreadable': 'Ya no puedo leer ese mensaje.',
  'bot.pickNotYours': 'Esta pregunta es sobre el mensaje de otra persona.',
  'bot.pickSent': 'Enviado a tu conversación de soporte en {{server}}.',
  'bot.pickRefused': 'No enviado: ahora mismo no puedes escribir al soporte de {{server}}.',
  'bot.thatServer': 'ese servidor',
  'bot.blocked': 'Lo siento, ahora mismo no puedes usar el soporte en este servidor.',
  'bot.blockedUntil': 'Esto termina {{when}}.',
  'bot.blockedContact': 'Si crees que es un error, contacta con los moderadores del servidor.',
  'bot.tooManyConversations':
    'Has empezado varias conversaciones de soporte en poco tiempo. Sigue en la que tienes abierta o vuelve a intentarlo {{when}}.',
  'bot.tooManyReports': 'Has enviado varios informes en poco tiempo. Vuelve a intentarlo {{when}}.',

  'case.useInServer': 'Usa /case en el servidor.',
  'case.onlyStaffListAll': 'Solo el equipo puede ver todos los casos.',
  'case.noneYet': 'Todavía no hay casos.',
  'case.onlyStaff.triage': 'Solo el equipo puede revisar casos.',
  'case.onlyStaff.note': 'Solo el equipo puede añadir notas a los casos.',
  'case.onlyStaff.close': 'Solo el equipo puede cerrar casos.',
  'case.onlyStaff.block': 'Solo el equipo puede bloquear miembros.',
  'case.onlyStaff.unblock': 'Solo el equipo puede desbloquear miembros.',
  'case.notHere': 'No hay ningún caso #{{number}} en este servidor.',
  'case.triaged': 'Caso #{{number}} en revisión.',
  'case.reporterDmsClosed': '(La persona que lo informó tiene los mensajes directos cerrados.)',
  'case.reporterGetsDm': 'La persona que lo informó recibirá un mensaje directo.',
  'case.noteEmpty': 'La nota está vacía.',
  'case.noted': 'Nota privada añadida al caso #{{number}}. La persona que lo informó no la ve.',
  'case.closed': 'Caso #{{number}} cerrado.',
  'case.blockingUnavailable': 'Este bot no permite bloquear.',
  'case.unblocked': '<@{{user}}> puede volver a usar el soporte.',
  'case.notBlocked': '<@{{user}}> no estaba bloqueado.',
  'case.blocked':
    '<@{{user}}> está bloqueado en el soporte de este servidor. Su /helpme, sus mensajes y sus informes se rechazan con educación, y nada llega a Flex.',
  'case.blockedUntil':
    '<@{{user}}> está bloqueado en el soporte de este servidor hasta {{until}}. Su /helpme, sus mensajes y sus informes se rechazan con educación, y nada llega a Flex.',

  'setup.onlyAdmins': 'Solo los administradores del servidor pueden hacer esto.',
  'setup.result': 'Creados: {{created}} · Reparados: {{repaired}} · Correctos: {{fine}}',
  'setup.none': 'ninguno',
};
