workspace "Inkwell" "A publishing platform for independent writers: drafts, published articles, tags, reader comments and full-text search across everything published." {
    !identifiers flat

    model {
        role_writer = person "writer" "Writes and publishes own articles and moderates the comments on them."
        role_editor = person "editor" "Moderates all content."
        role_admin = person "admin" "Operates the platform."
        system_inkwell = softwareSystem "Inkwell" "A publishing platform for independent writers: drafts, published articles, tags, reader comments and full-text search across everything published." {
            service_publishing = container "publishing" "Articles, tags, comments, search and writer accounts." "Service"
            service_newsletter = container "newsletter" "A worker that e-mails a writer's subscribers when an article is published." "Service"
            store_database = container "Database" "Stores the system's records." "PostgreSQL" {
                tags "Database"
            }
            store_cache = container "Cache" "Holds hot reads and rate-limit counters." "Redis" {
                tags "Database"
            }
            store_queue = container "Message broker" "Carries the events between services." "Redis Streams" {
                tags "Queue"
            }
            store_search = container "Search engine" "Serves full-text search." "PostgreSQL full-text search" {
                tags "Database"
            }
        }

        role_writer -> system_inkwell "Uses the API" "HTTPS"
        role_editor -> system_inkwell "Uses the API" "HTTPS"
        role_admin -> system_inkwell "Uses the API" "HTTPS"
        service_publishing -> store_queue "Publishes article.published" "Redis"
        store_queue -> service_newsletter "Delivers article.published" "Redis"
        service_publishing -> store_database "Reads and writes" "SQL"
        service_publishing -> store_cache "Uses"
        service_publishing -> store_search "Uses"
    }

    views {
        systemContext system_inkwell "SystemContext" {
            include *
            autolayout lr
        }
        container system_inkwell "Containers" {
            include *
            autolayout lr
        }
        styles {
            element "Person" {
                shape Person
            }
            element "Database" {
                shape Cylinder
            }
            element "Queue" {
                shape Pipe
            }
            element "External" {
                background #999999
            }
        }
    }
}
